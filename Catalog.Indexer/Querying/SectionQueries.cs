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
    /// <param name="budget">The search's time, which walking positions (and terms, for patterns) counts against.</param>
    public static Query Rewrite(Query query, SearchBudget? budget = null)
    {
        switch (query)
        {
            case BooleanQuery b:
                return Rewrite(b, budget);
            case TermQuery t when TextSections.Of(t.Term.Field) is > 0 and var section:
                return Within(Term(t.Term), section, t.Boost, budget);
            case PhraseQuery p when p.GetTerms() is { Length: > 0 } terms && TextSections.Of(terms[0].Field) is > 0 and var section:
                return Within(Near(terms.Select(t => (SpanQuery)Term(t)).ToList(), p.GetPositions(), p.Slop), section, p.Boost, budget);
            case MultiPhraseQuery m when m.GetTermArrays() is { Count: > 0 } arrays && TextSections.Of(arrays[0][0].Field) is > 0 and var section:
                return Within(Near(arrays.Select(Any).ToList(), m.GetPositions(), m.Slop), section, m.Boost, budget);
            case MultiTermQuery m when TextSections.Of(m.Field) is > 0 and var section:
                if (IsEverything(m)) return new ConstantScoreQuery(new TermQuery(new Term(IndexFields.Sections, m.Field))) { Boost = m.Boost };
                // The matching terms of text, each found only where it occurs within the section.
                m.MultiTermRewriteMethod = new MatchingTermsRewrite(section, budget);
                return m;
            default:
                return query;
        }
    }

    private static BooleanQuery Rewrite(BooleanQuery b, SearchBudget? budget)
    {
        var clauses = b.Clauses.Select(c => (Query: Rewrite(c.Query, budget), c.Occur)).ToList();
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

    private static SectionSpanQuery Within(SpanQuery match, int section, float boost, SearchBudget? budget) =>
        new(match, section, budget) { Boost = boost };

    /// <summary><c>notes:*</c> and <c>notes:[* TO *]</c>: answered from the marker of the field, not from every term of <c>text</c>.</summary>
    private static bool IsEverything(MultiTermQuery m) => m switch
    {
        WildcardQuery w => w.Term.Text == "*",
        TermRangeQuery r => r.LowerTerm is null && r.UpperTerm is null,
        _ => false,
    };
}
