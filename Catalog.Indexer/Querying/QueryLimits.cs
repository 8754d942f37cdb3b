using Catalog.Core.Dispatch;


namespace Catalog.Indexer.Querying;

/// <summary>
/// How much one package_search may ask for. package_search is open to anyone, and Lucene syntax lets a few characters
/// cost a lot (a pattern walks every term, a nested query recurses in the parser); each limit is far above what a
/// person or a CKAN client sends, and a request beyond one is answered with CKAN's search error rather than run.
/// What no limit on the text can bound is stopped by the time budget (<see cref="SearchBudget"/>).
/// </summary>
public static class QueryLimits
{
    /// <summary>
    /// Characters of <c>q</c>: a long question typed or pasted in Japanese is well under a hundred, a paragraph a few
    /// hundred.
    /// </summary>
    public const int MaxQueryLength = 1000;

    /// <summary>
    /// Words of <c>q</c> searched (free text, after segmentation, synonym variants' words counted too); the rest are
    /// ignored. A question rarely has more than twenty.
    /// </summary>
    public const int MaxQueryWords = 64;

    /// <summary>Characters of one filter (<c>fq</c> or an item of <c>fq_list</c>): room for a long list of ids or names.</summary>
    public const int MaxFilterLength = 2000;

    /// <summary>Characters of all filters together.</summary>
    public const int MaxFiltersLength = 10_000;

    /// <summary>Filters in <c>fq</c> and <c>fq_list</c> together.</summary>
    public const int MaxFilters = 100;

    /// <summary>Parentheses open at once: each level is a recursion of the parser.</summary>
    public const int MaxNesting = 10;

    /// <summary>
    /// <c>*</c> and <c>?</c> in one pattern: a pattern becomes an automaton, and a <c>*</c> followed by many <c>?</c>
    /// makes it grow exponentially. <c>*word*</c> uses two.
    /// </summary>
    public const int MaxWildcards = 4;

    /// <summary>Characters of a pattern (its automaton grows with it).</summary>
    public const int MaxPatternLength = 256;

    /// <summary>Characters of a fuzzy term (its Levenshtein automata grow with it); longer words are not misspelt on purpose.</summary>
    public const int MaxFuzzyTermLength = 64;

    /// <summary>Most similar terms a fuzzy term stands for, as Lucene's default; its edits are at most 2, Lucene's maximum.</summary>
    public const int FuzzyExpansions = 50;

    /// <summary>
    /// Offset of the first result: a page that deep keeps <c>start + rows</c> hits in memory while collecting. CKAN's
    /// harvesters page through a whole catalog with <c>start</c>, so it is set above the size of the catalogs this
    /// one serves, not at the few pages people read.
    /// </summary>
    public const int MaxStart = 100_000;

    /// <summary>Values returned per facet field (<c>-1</c>, CKAN's "all", gives at most this many).</summary>
    public const int MaxFacetLimit = 1000;

    /// <summary>Fields in <c>facet.field</c>: each is counted for every matching dataset.</summary>
    public const int MaxFacetFields = 20;

    /// <summary>Fields in <c>qf</c>: each word of <c>q</c> is searched in each.</summary>
    public const int MaxQueryFields = 20;

    /// <summary>Characters of the small parameters (<c>qf</c>, <c>mm</c>, <c>sort</c>, <c>defType</c>).</summary>
    public const int MaxParameterLength = 500;

    /// <summary>The time a package_search may take by default (<c>Catalog:Search:TimeLimit</c>).</summary>
    public static readonly TimeSpan DefaultTimeAllowed = TimeSpan.FromSeconds(1);

    public static void CheckQuery(string q)
    {
        if (q.Length > MaxQueryLength)
            throw new SearchException($"The query (q) is too long: at most {MaxQueryLength} characters");
    }

    public static void CheckFilters(IReadOnlyList<string> filters)
    {
        if (filters.Count > MaxFilters)
            throw new SearchException($"Too many filters (fq, fq_list): at most {MaxFilters}");
        var total = 0;
        foreach (var fq in filters)
        {
            if (fq.Length > MaxFilterLength)
                throw new SearchException($"A filter (fq) is too long: at most {MaxFilterLength} characters");
            total += fq.Length;
        }
        if (total > MaxFiltersLength)
            throw new SearchException($"The filters (fq, fq_list) are too long: at most {MaxFiltersLength} characters together");
    }

    /// <summary>
    /// Refuses Lucene syntax nested deeper than <see cref="MaxNesting"/>, before the parser recurses into it: what is
    /// quoted or escaped does not nest.
    /// </summary>
    public static void CheckNesting(string text)
    {
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '(' when !quoted:
                    if (++depth > MaxNesting)
                        throw new SearchException($"The query is nested too deeply: at most {MaxNesting} levels of parentheses");
                    break;
                case ')' when !quoted && depth > 0:
                    depth--;
                    break;
            }
        }
    }

    /// <summary>Refuses a pattern whose automaton could grow beyond reason (<see cref="MaxWildcards"/>, <see cref="MaxPatternLength"/>).</summary>
    public static void CheckPattern(string pattern)
    {
        if (pattern.Length > MaxPatternLength)
            throw new SearchException($"A wildcard pattern is too long: at most {MaxPatternLength} characters");
        var wildcards = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\') i++;
            else if (pattern[i] is '*' or '?' && ++wildcards > MaxWildcards)
                throw new SearchException($"A pattern has too many wildcards: at most {MaxWildcards} (* or ?)");
        }
    }

    public static void CheckFuzzyTerm(string term)
    {
        if (term.Length > MaxFuzzyTermLength)
            throw new SearchException($"A fuzzy term (~) is too long: at most {MaxFuzzyTermLength} characters");
    }

    public static void CheckParameter(string name, string? value)
    {
        if (value is { Length: > MaxParameterLength })
            throw new SearchException($"The parameter {name} is too long: at most {MaxParameterLength} characters");
    }
}
