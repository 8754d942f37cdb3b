using Catalog.Indexer.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Lucene query syntax as Solr's standard parser reads it for CKAN (<c>q</c> with a colon, every <c>fq</c>):
/// AND by default, <c>text</c> as the default field, exact string fields, Japanese text fields searched as
/// phrases, date fields with Solr date math, and purely negative clauses (<c>-organization:x</c>) meaning
/// "everything except". What a query may cost is bounded (<see cref="QueryLimits"/>): patterns, fuzzy forms and
/// ranges expand into terms within the search's <see cref="SearchBudget"/>, patterns and fuzzy terms are limited in
/// size, and regular expressions are refused (Lucene 4.8 turns them into automata with no bound on their size).
/// </summary>
public sealed class CatalogQueryParser : QueryParser
{
    private readonly DateTime _now;
    private readonly SearchBudget? _budget;

    public CatalogQueryParser(DateTime nowUtc, SearchBudget? budget = null)
        : base(LuceneVersion.LUCENE_48, IndexFields.Text, SearchIndex.QueryAnalyzer)
    {
        _now = nowUtc;
        _budget = budget;
        DefaultOperator = AND_OPERATOR;
        AutoGeneratePhraseQueries = true;
        LowercaseExpandedTerms = false;
        // Bounded by the budget: a leading wildcard walks every term of the field, which the budget stops in time.
        AllowLeadingWildcard = true;
        MultiTermRewriteMethod = new MatchingTermsRewrite(budget);
    }

    public override Query Parse(string query)
    {
        QueryLimits.CheckNesting(query);
        return base.Parse(query);
    }

    protected override Query GetFieldQuery(string field, string queryText, bool quoted)
    {
        if (IndexFields.IsDate(field))
        {
            var instant = Date(field, queryText);
            return Dates(field, instant, instant, true, true);
        }
        return base.GetFieldQuery(field, queryText, quoted);
    }

    protected override Query GetRangeQuery(string field, string part1, string part2, bool startInclusive, bool endInclusive)
    {
        if (IndexFields.IsDate(field))
        {
            long? from = part1 is null or "*" ? null : Date(field, part1);
            long? to = part2 is null or "*" ? null : Date(field, part2);
            return Dates(field, from, to, startInclusive, endInclusive);
        }
        return base.GetRangeQuery(field, part1 == "*" ? null : part1, part2 == "*" ? null : part2, startInclusive, endInclusive);
    }

    protected override Query GetWildcardQuery(string field, string termStr)
    {
        QueryLimits.CheckPattern(termStr);
        return IndexFields.IsDate(field) ? AnyDate(field, termStr) : base.GetWildcardQuery(field, Fold(field, termStr));
    }

    protected override Query GetRegexpQuery(string field, string termStr) =>
        throw new ParseException($"Regular expressions are not supported; use a wildcard (* or ?) instead: '/{termStr}/'");

    /// <summary>At most 2 edits (Lucene's maximum) and <see cref="QueryLimits.FuzzyExpansions"/> terms, walked within the budget.</summary>
    protected override Query NewFuzzyQuery(Term term, float minimumSimilarity, int prefixLength)
    {
        var text = term.Text;
        QueryLimits.CheckFuzzyTerm(text);
        // word~2 gives edits (word~0 none); the old form word~0.8 a similarity, which Lucene reads as edits per length.
        var edits = minimumSimilarity >= 1 || minimumSimilarity == 0 ? (int)minimumSimilarity : (int)((1 - minimumSimilarity) * text.EnumerateRunes().Count());
        return new BudgetedFuzzyQuery(term, Math.Clamp(edits, 0, FuzzyQuery.DefaultMaxEdits), prefixLength, QueryLimits.FuzzyExpansions, _budget);
    }

    protected override Query GetPrefixQuery(string field, string termStr) =>
        IndexFields.IsDate(field) ? AnyDate(field, termStr + "*") : base.GetPrefixQuery(field, Fold(field, termStr));

    /// <summary>Dates are matched on their doc values (<see cref="DateRangeFilter"/>), with a constant score as Solr's ranges.</summary>
    private static Query Dates(string field, long? from, long? to, bool includeFrom, bool includeTo) =>
        new ConstantScoreQuery(new DateRangeFilter(field, from, to, includeFrom, includeTo));

    /// <summary><c>metadata_modified:*</c> (has a date) is the only pattern or fuzzy form a date field takes, as in Solr.</summary>
    private static Query AnyDate(string field, string pattern) =>
        pattern == "*" ? Dates(field, null, null, true, true)
            : throw new ParseException($"Can't run wildcard, prefix or fuzzy queries on the date field {field}: '{pattern}'");

    protected override Query GetFuzzyQuery(string field, string termStr, float minSimilarity) =>
        IndexFields.IsDate(field) ? AnyDate(field, termStr + "~") : base.GetFuzzyQuery(field, Fold(field, termStr), minSimilarity);

    /// <summary>Lucene matches nothing for a query made only of exclusions; Solr (and so CKAN) means "all but".</summary>
    protected override Query GetBooleanQuery(IList<BooleanClause> clauses, bool disableCoord)
    {
        var query = base.GetBooleanQuery(clauses, disableCoord);
        if (query is BooleanQuery { Clauses.Count: > 0 } b && b.Clauses.All(c => c.Occur == Occur.MUST_NOT))
            b.Add(new MatchAllDocsQuery(), Occur.MUST);
        return query;
    }

    private static string Fold(string field, string term) =>
        IndexFields.IsText(field) ? TextNormalizer.FoldWithKana(term) : term;

    private long Date(string field, string text) =>
        SolrDateMath.TryParse(text, _now, out var utc) ? utc.Ticks
            : throw new ParseException($"Invalid Date String:'{text}' for field {field}");
}
