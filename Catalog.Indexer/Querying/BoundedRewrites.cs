using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// A pattern, fuzzy form or range rewritten into the documents holding one of its terms, with a constant score (as
/// Lucene's constant-score rewrites match them); with a section (<see cref="TextSections"/>), the terms of <c>text</c>
/// found within that section only. The documents are collected once, when the searcher rewrites the query against its
/// reader, and every term looked at and every document read counts against the search's <see cref="SearchBudget"/>:
/// Lucene's own rewrites walk the terms, or (past a few hundred terms) their postings while scoring, with nothing
/// to stop them. The rewritten query holds the matches of that reader's segments: it must not be kept for another
/// reader (nothing keeps rewritten queries; the result cache keeps answers per reader).
/// </summary>
/// <param name="section">The section searched, or 0 for the query's own field.</param>
public sealed class MatchingTermsRewrite(int section, SearchBudget? budget) : MultiTermQuery.RewriteMethod
{
    public int Section => section;

    public override Query Rewrite(IndexReader reader, MultiTermQuery query)
    {
        var field = section > 0 ? IndexFields.Text : query.Field;
        var matches = new Dictionary<AtomicReader, FixedBitSet>(ReferenceEqualityComparer.Instance);
        foreach (var leaf in reader.Leaves)
        {
            var segment = leaf.AtomicReader;
            if (segment.GetTerms(field) is not { } terms) continue;
            if (budget is not null) terms = new BudgetedTerms(terms, budget);
            var found = section > 0 ? WithinSection(segment, terms, query) : Anywhere(segment, terms, query);
            if (found is not null) matches[segment] = found;
        }
        return new ConstantScoreQuery(new FoundFilter(matches)) { Boost = query.Boost };
    }

    private FixedBitSet? Anywhere(AtomicReader segment, Terms terms, MultiTermQuery query)
    {
        var termsEnum = GetTermsEnum(query, terms, new AttributeSource());
        FixedBitSet? found = null;
        DocsEnum? docs = null;
        while (termsEnum.MoveNext())
        {
            docs = termsEnum.Docs(segment.LiveDocs, docs, DocsFlags.NONE);
            for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc())
            {
                budget?.Step();
                (found ??= new FixedBitSet(segment.MaxDoc)).Set(doc);
            }
        }
        return found;
    }

    private FixedBitSet? WithinSection(AtomicReader segment, Terms terms, MultiTermQuery query)
    {
        if (SectionBounds.OfEveryDocument(segment, section) is not { } bounds) return null;
        var termsEnum = GetTermsEnum(query, terms, new AttributeSource());
        FixedBitSet? found = null;
        DocsAndPositionsEnum? positions = null;
        while (termsEnum.MoveNext())
        {
            positions = termsEnum.DocsAndPositions(segment.LiveDocs, positions, DocsAndPositionsFlags.NONE);
            if (positions is null) continue;
            for (var doc = positions.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = positions.NextDoc())
            {
                budget?.Step();
                var (start, end) = bounds[doc];
                if (start < 0 || found?.Get(doc) == true) continue;
                for (var i = positions.Freq; i > 0; i--)
                {
                    var position = positions.NextPosition();
                    if (position >= end) break;
                    if (position < start) continue;
                    (found ??= new FixedBitSet(segment.MaxDoc)).Set(doc);
                    break;
                }
            }
        }
        return found;
    }

    // The budget belongs to one search; two rewrites that match the same way are the same rewrite.
    public override bool Equals(object? obj) => obj is MatchingTermsRewrite other && other.Section == Section;

    public override int GetHashCode() => Section;

    private sealed class FoundFilter(Dictionary<AtomicReader, FixedBitSet> matches) : Filter
    {
        public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits acceptDocs) =>
            matches.TryGetValue(context.AtomicReader, out var found) ? BitsFilteredDocIdSet.Wrap(found, acceptDocs) : null;
    }
}

/// <summary>
/// A fuzzy term (Lucene's rewrite: its best-scoring similar terms) whose search for similar terms counts every term
/// it passes against the search's budget: a short word with two edits allowed is similar to nearly every short term.
/// </summary>
public sealed class BudgetedFuzzyQuery(Term term, int maxEdits, int prefixLength, int maxExpansions, SearchBudget? budget)
    : FuzzyQuery(term, maxEdits, prefixLength, maxExpansions, DefaultTranspositions)
{
    protected override TermsEnum GetTermsEnum(Terms terms, AttributeSource atts) =>
        base.GetTermsEnum(budget is null ? terms : new BudgetedTerms(terms, budget), atts);
}
