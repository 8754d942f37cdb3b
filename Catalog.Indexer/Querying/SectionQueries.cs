using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Spans;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Queries on a sectioned field (<see cref="TextSections"/>: notes, res_name, res_description, author, maintainer)
/// become the same queries on <c>text</c>, matched only within the field's section: a word, a phrase (its words in
/// order, side by side, or within its slop), a pattern, fuzzy form or range (constant score), and <c>field:*</c> (the
/// dataset has a value for the field). Words and phrases score as they would on <c>text</c> where only the
/// section holds them (the length and statistics are those of <c>text</c>).
/// </summary>
public static class SectionQueries
{
    /// <summary>The query with every query on a sectioned field in it so converted; other queries are kept as they are.</summary>
    public static Query Rewrite(Query query)
    {
        switch (query)
        {
            case BooleanQuery b:
                return Rewrite(b);
            case TermQuery t when TextSections.Of(t.Term.Field) is > 0 and var section:
                return Within(Term(t.Term), section, t.Boost);
            case PhraseQuery p when p.GetTerms() is { Length: > 0 } terms && TextSections.Of(terms[0].Field) is > 0 and var section:
                return Within(Near(terms.Select(t => (SpanQuery)Term(t)).ToList(), p.GetPositions(), p.Slop), section, p.Boost);
            case MultiPhraseQuery m when m.GetTermArrays() is { Count: > 0 } arrays && TextSections.Of(arrays[0][0].Field) is > 0 and var section:
                return Within(Near(arrays.Select(Any).ToList(), m.GetPositions(), m.Slop), section, m.Boost);
            case MultiTermQuery m when TextSections.Of(m.Field) is > 0 and var section:
                if (IsEverything(m)) return new ConstantScoreQuery(new TermQuery(new Term(IndexFields.Sections, m.Field))) { Boost = m.Boost };
                m.MultiTermRewriteMethod = new WithinSectionRewrite(section);
                return m;
            default:
                return query;
        }
    }

    private static BooleanQuery Rewrite(BooleanQuery b)
    {
        var clauses = b.Clauses.Select(c => (Query: Rewrite(c.Query), c.Occur)).ToList();
        if (clauses.Select(c => c.Query).SequenceEqual(b.Clauses.Select(c => c.Query))) return b;
        var copy = new BooleanQuery(b.CoordDisabled) { MinimumNumberShouldMatch = b.MinimumNumberShouldMatch, Boost = b.Boost };
        foreach (var (q, occur) in clauses) copy.Add(q, occur);
        return copy;
    }

    private static SpanTermQuery Term(Term term) => new(new Term(IndexFields.Text, term.Bytes));

    private static SpanQuery Any(Term[] terms) =>
        terms.Length == 1 ? Term(terms[0]) : new SpanOrQuery([.. terms.Select(t => (SpanQuery)Term(t))]);

    /// <summary>
    /// A phrase's words at their distances: in order, unless the slop lets words swap places (2 or more, as in a
    /// sloppy phrase) and no word repeats (unordered, two clauses of one word would match a single occurrence).
    /// </summary>
    private static SpanQuery Near(List<SpanQuery> words, int[] positions, int slop)
    {
        if (words.Count == 1) return words[0];
        // Holes between the phrase's positions (a token the analyzer dropped) widen the window as they do a phrase.
        var holes = positions[^1] - positions[0] - (words.Count - 1);
        var repeats = words.Select(w => w.ToString()).Distinct().Count() < words.Count;
        return new SpanNearQuery([.. words], slop + Math.Max(holes, 0), inOrder: slop < 2 || repeats);
    }

    private static SectionSpanQuery Within(SpanQuery match, int section, float boost) => new(match, section) { Boost = boost };

    /// <summary><c>notes:*</c> and <c>notes:[* TO *]</c>: answered from the marker of the field, not from every term of <c>text</c>.</summary>
    private static bool IsEverything(MultiTermQuery m) => m switch
    {
        WildcardQuery w => w.Term.Text == "*",
        TermRangeQuery r => r.LowerTerm is null && r.UpperTerm is null,
        _ => false,
    };

    /// <summary>
    /// A pattern, fuzzy form or range on a sectioned field: the matching terms of <c>text</c>, each found only where
    /// it occurs within the section. The documents are collected once, when the searcher rewrites the query against
    /// its reader, and matched with a constant score. The rewritten query holds the matches of that reader's
    /// segments: it must not be kept for another reader (nothing keeps rewritten queries; the result cache keeps
    /// answers per reader).
    /// </summary>
    private sealed class WithinSectionRewrite(int section) : MultiTermQuery.RewriteMethod
    {
        public override Query Rewrite(IndexReader reader, MultiTermQuery query)
        {
            var matches = new Dictionary<AtomicReader, FixedBitSet>(ReferenceEqualityComparer.Instance);
            foreach (var leaf in reader.Leaves)
            {
                var segment = leaf.AtomicReader;
                if (segment.GetTerms(IndexFields.Text) is not { } terms) continue;
                var bounds = SectionBounds.OfEveryDocument(segment, section);
                if (bounds is null) continue;
                var termsEnum = GetTermsEnum(query, terms, new AttributeSource());
                FixedBitSet? found = null;
                DocsAndPositionsEnum? positions = null;
                while (termsEnum.MoveNext())
                {
                    positions = termsEnum.DocsAndPositions(segment.LiveDocs, positions, DocsAndPositionsFlags.NONE);
                    if (positions is null) continue;
                    for (var doc = positions.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = positions.NextDoc())
                    {
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
                if (found is not null) matches[segment] = found;
            }
            return new ConstantScoreQuery(new FoundFilter(matches)) { Boost = query.Boost };
        }

        public override bool Equals(object? obj) => obj is WithinSectionRewrite other && other.Section == Section;

        public override int GetHashCode() => Section;

        private int Section => section;
    }

    private sealed class FoundFilter(Dictionary<AtomicReader, FixedBitSet> matches) : Filter
    {
        public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits acceptDocs) =>
            matches.TryGetValue(context.AtomicReader, out var found) ? BitsFilteredDocIdSet.Wrap(found, acceptDocs) : null;
    }
}
