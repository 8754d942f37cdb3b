using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// A pattern, fuzzy form or range rewritten into the documents holding one of its terms, with a constant score (as
/// Lucene's constant-score rewrites match them). The documents are collected once, when the searcher rewrites the
/// query against its reader, and every term looked at and every document read counts against the search's
/// <see cref="SearchBudget"/>:
/// Lucene's own rewrites walk the terms, or (past a few hundred terms) their postings while scoring, with nothing
/// to stop them. The rewritten query holds the matches of that reader's segments: it must not be kept for another
/// reader (nothing keeps rewritten queries; the result cache keeps answers per reader).
/// </summary>
public sealed class MatchingTermsRewrite(SearchBudget? budget) : MultiTermQuery.RewriteMethod
{
    public override Query Rewrite(IndexReader reader, MultiTermQuery query)
    {
        var field = query.Field;
        var matches = new Dictionary<AtomicReader, FixedBitSet>(ReferenceEqualityComparer.Instance);
        foreach (var leaf in reader.Leaves)
        {
            var segment = leaf.AtomicReader;
            if (segment.GetTerms(field) is not { } terms) continue;
            if (budget is not null) terms = new BudgetedTerms(terms, budget);
            var found = Anywhere(segment, terms, query);
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

    // The budget belongs to one search; two rewrites that match the same way are the same rewrite.
    public override bool Equals(object? obj) => obj is MatchingTermsRewrite;

    public override int GetHashCode() => typeof(MatchingTermsRewrite).GetHashCode();

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
