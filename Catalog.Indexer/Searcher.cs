using System.Collections.Concurrent;
using System.Text.Json;
using Catalog.Core.Dispatch;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;

namespace Catalog.Indexer;

/// <summary>
/// Answers package_search from the index alone: builds the query and the visibility filter, collects the page and
/// the facet counts in one pass, and returns the stored dicts. A request with <see cref="SearchRequest.TimeAllowed"/>
/// is stopped with a search error when it runs longer (<see cref="SearchBudget"/>); what its text may ask for is
/// bounded whatever the time (<see cref="QueryLimits"/>).
/// </summary>
public sealed class Searcher(SearchIndex index, SearchVocabulary vocabulary, TimeProvider clock, SearchResultCache? results = null)
{
    private const int MaxCachedFilters = 1000;

    private readonly DismaxQueryBuilder _dismax = new(vocabulary);
    private readonly SearchSuggester _suggester = new(vocabulary);
    private readonly ConcurrentDictionary<VisibilityKey, Filter> _visibilityFilters = new();
    private readonly SearchResultCache _results = results ?? new SearchResultCache(capacity: 0);
    private readonly SuggestionCache _suggestions = new();

    public SearchResult Search(SearchRequest request)
    {
        var key = _results.KeyFor(request);
        return index.Searching(searcher =>
        {
            if (key is not null && _results.TryGet(searcher.IndexReader, key, out var cached)) return cached;
            var result = Search(searcher, request);
            if (key is not null) _results.Add(searcher.IndexReader, key, result);
            return result;
        });
    }

    private SearchResult Search(IndexSearcher shared, SearchRequest request)
    {
        // The search's own searcher: every query of it looks its terms up once, one enumeration per segment and field.
        var searcher = new TermStatesSearcher(shared);
        var budget = request.TimeAllowed is { } allowed ? new SearchBudget(clock, allowed) : null;
        var query = MainQuery(request, budget);
        var filters = UserFilters(request, budget);
        var found = Collect(searcher, request, query, filters, budget);
        // Too few found for what was asked: what shares some of its words comes after (questions, long phrasings).
        if (found.Total < RelaxBelow && RelaxedQuery(searcher.IndexReader, request, budget) is { } relaxed)
            found = Collect(searcher, request, StrictFirst(query, relaxed), filters, budget);

        var results = new List<JsonElement>();
        if (found.Top is not null)
        {
            var leaves = searcher.IndexReader.Leaves;
            foreach (var hit in found.Top.GetTopDocs(request.Start, request.Rows).ScoreDocs)
            {
                var leaf = leaves[ReaderUtil.SubIndex(hit.Doc, leaves)];
                var reader = leaf.AtomicReader;
                results.Add(index.Caches.Dicts.Read(reader, hit.Doc - leaf.DocBase));
            }
        }
        return new SearchResult(found.Total, results, FacetResults(request, found.Facets))
        {
            Suggestions = found.Total == 0 ? Suggest(searcher, request, filters, budget) : [],
        };
    }

    /// <summary>
    /// Queries the suggester thinks of that find, strictly and under the caller's visibility and filters, at least one
    /// dataset: a word only private datasets hold is never suggested to someone who may not read them.
    /// </summary>
    private IReadOnlyList<string> Suggest(IndexSearcher searcher, SearchRequest request, Query? filters, SearchBudget? budget)
    {
        var q = request.Q?.Trim();
        if (string.IsNullOrEmpty(q) || request.Mm is not null || IsLucene(request, q)) return [];
        var key = SuggestionCache.KeyFor(q, request);
        if (key is { } known && _suggestions.TryGet(searcher.IndexReader, known, out var cached)) return cached;
        var suggestions = new List<string>();
        try
        {
            // Candidates first: most words have none (no near spelling, a single word), and then no search is needed.
            var candidates = _suggester.Candidates(searcher.IndexReader, q);
            // The words find datasets and the filters (fq) leave none: nothing to correct in what was typed, and one
            // count spares the candidates' searches (up to six) that faceted traffic would otherwise pay.
            if (candidates.Count > 0 && filters is not null)
            {
                var unfiltered = request with { Rows = 0, Start = 0, FacetFields = [], Sort = null };
                if (Collect(searcher, unfiltered, CountingQuery(unfiltered, budget), null, budget).Total > 0) candidates = [];
            }
            foreach (var candidate in candidates)
            {
                var counting = request with { Q = candidate, Rows = 0, Start = 0, FacetFields = [], Sort = null };
                if (Collect(searcher, counting, CountingQuery(counting, budget), filters, budget).Total == 0) continue;
                suggestions.Add(candidate);
                if (suggestions.Count == MaxSuggestions) break;
            }
        }
        catch (SearchException)
        {
            // Out of time: the suggestions found so far, without failing a search that has its answer; not kept.
            return suggestions;
        }
        if (key is { } complete) _suggestions.Add(searcher.IndexReader, complete, suggestions);
        return suggestions;
    }

    /// <summary>Suggestions given for a query that found nothing, at most.</summary>
    public const int MaxSuggestions = 3;

    /// <summary>A free-text search finding fewer datasets than this is widened to those sharing some of its words.</summary>
    public const int RelaxBelow = 3;

    /// <summary>What strict hits score above any relaxed one (BM25 scores of a few words stay far below it).</summary>
    private const float StrictLead = 10_000f;

    private sealed record Collected(int Total, TopDocsCollector<FieldValueHitQueue.Entry>? Top, FacetCollector? Facets);

    private Collected Collect(IndexSearcher searcher, SearchRequest request, Query query, Query? filters, SearchBudget? budget)
    {
        var sort = SortSpec.Parse(request.Sort);
        var wanted = (int)Math.Min((long)request.Start + request.Rows, int.MaxValue);

        var collectors = new List<ICollector>();
        TopFieldCollector? top = null;
        TotalHitCountCollector? counter = null;
        if (wanted > 0)
            collectors.Add(top = TopFieldCollector.Create(sort, Math.Min(wanted, Math.Max(1, searcher.IndexReader.MaxDoc)),
                fillFields: false, trackDocScores: false, trackMaxScore: false, docsScoredInOrder: false));
        else
            collectors.Add(counter = new TotalHitCountCollector());
        var facets = request.FacetFields.Count > 0 ? new FacetCollector(request.FacetFields, index.Caches.Facets) : null;
        if (facets is not null) collectors.Add(facets);
        var collector = MultiCollector.Wrap([.. collectors]);
        if (budget is not null) collector = budget.Limit(collector);

        try
        {
            if (filters is not null) query = new FilteredQuery(query, new QueryWrapperFilter(filters));
            searcher.Search(query, VisibilityFilter(request.Visibility), collector);
        }
        catch (BooleanQuery.TooManyClausesException)
        {
            throw new SearchException("The query expands to too many terms; use fewer wildcards");
        }
        catch (TimeLimitingCollector.TimeExceededException)
        {
            throw SearchBudget.Exceeded();
        }
        return new Collected(top?.TotalHits ?? counter!.TotalHits, top, facets);
    }

    /// <summary>
    /// The free-text query with any one of its words enough, when the client left <c>mm</c> to us and the query has
    /// more than one word to relax; null otherwise.
    /// </summary>
    private Query? RelaxedQuery(IndexReader reader, SearchRequest request, SearchBudget? budget)
    {
        var q = request.Q?.Trim();
        if (string.IsNullOrEmpty(q) || request.Mm is not null || IsLucene(request, q) || q is "*:*" or "\"\"" or "''") return null;
        var fields = request.Qf is { Length: > 0 } qf ? ParseQf(qf) : DismaxQueryBuilder.CkanFields;
        return _dismax.BuildRelaxed(q, fields, request.Tie ?? DismaxQueryBuilder.CkanTie, budget, reader);
    }

    /// <summary>Strict hits first, in their own order, then what only the relaxed query finds.</summary>
    private static Query StrictFirst(Query strict, Query relaxed)
    {
        var lead = new ConstantScoreQuery(strict) { Boost = StrictLead };
        return new BooleanQuery(disableCoord: true) { { lead, Occur.SHOULD }, { strict, Occur.SHOULD }, { relaxed, Occur.SHOULD } };
    }

    private static bool IsLucene(SearchRequest request, string q) => q.Contains(':') || request.DefType is "lucene" or "standard";

    /// <param name="budget">The search's time, which expanding patterns and walking positions count against.</param>
    public Query MainQuery(SearchRequest request, SearchBudget? budget = null)
    {
        var q = request.Q?.Trim();
        if (string.IsNullOrEmpty(q) || q is "*:*" or "\"\"" or "''") return new MatchAllDocsQuery();
        QueryLimits.CheckQuery(q);
        RejectLocalParams(q);
        QueryLimits.CheckParameter("defType", request.DefType);
        var lucene = IsLucene(request, q);
        if (lucene) return Parse(q, budget);
        QueryLimits.CheckParameter("qf", request.Qf);
        QueryLimits.CheckParameter("mm", request.Mm);
        var fields = request.Qf is { Length: > 0 } qf ? ParseQf(qf) : DismaxQueryBuilder.CkanFields;
        return _dismax.Build(q, fields, request.Mm, request.Tie ?? DismaxQueryBuilder.CkanTie, budget);
    }

    /// <summary>
    /// A query matching what <see cref="MainQuery"/> matches, for counting only: with CKAN's fields, whose text is all
    /// in <c>text</c> (<see cref="DrivenDisjunctionMaxQuery"/>), each word searched there alone. Its scores differ, and
    /// it sets up a fifth of the phrase scorers: what the counts behind "did you mean" need.
    /// </summary>
    private Query CountingQuery(SearchRequest request, SearchBudget? budget)
    {
        var q = request.Q?.Trim();
        if (string.IsNullOrEmpty(q) || request.Qf is { Length: > 0 } || IsLucene(request, q) || q is "*:*" or "\"\"" or "''")
            return MainQuery(request, budget);
        QueryLimits.CheckQuery(q);
        QueryLimits.CheckParameter("mm", request.Mm);
        return _dismax.Build(q, TextOnly, request.Mm, request.Tie ?? DismaxQueryBuilder.CkanTie, budget);
    }

    private static readonly IReadOnlyList<(string Field, float Boost)> TextOnly = [(IndexFields.Text, 1f)];

    /// <summary>fq and fq_list, all required; null when none.</summary>
    public Query? UserFilters(SearchRequest request, SearchBudget? budget = null)
    {
        QueryLimits.CheckFilters(request.Filters);
        var filter = new BooleanQuery();
        foreach (var fq in request.Filters)
        {
            if (string.IsNullOrWhiteSpace(fq)) continue;
            RejectLocalParams(fq);
            filter.Add(Parse(fq, budget), Occur.MUST);
        }
        return filter.Clauses.Count > 0 ? filter : null;
    }

    /// <summary>
    /// What the caller may see, as a filter cached per segment (a bit set): the same few visibilities (anonymous
    /// above all) come back on every request, and a cached bit set filters for free instead of being re-evaluated.
    /// </summary>
    public Filter VisibilityFilter(SearchVisibility v)
    {
        var key = v.Key;
        if (_visibilityFilters.TryGetValue(key, out var cached)) return cached;
        // Per-user filters accumulate; starting over now and then bounds the memory they hold.
        if (_visibilityFilters.Count > MaxCachedFilters) _visibilityFilters.Clear();
        return _visibilityFilters.GetOrAdd(key, _ => new BitSetCachingFilter(new QueryWrapperFilter(Visibility(v))));
    }

    private static Query Visibility(SearchVisibility v)
    {
        var active = new BooleanQuery { { new TermQuery(new Term(IndexFields.State, "active")), Occur.MUST } };
        if (!v.All)
        {
            var labels = new BooleanQuery();
            foreach (var label in v.Labels) labels.Add(new TermQuery(new Term(IndexFields.PermissionLabels, label)), Occur.SHOULD);
            active.Add(labels, Occur.MUST);
        }
        var visible = new BooleanQuery { { active, Occur.SHOULD } };
        if (v.IncludeDrafts && (v.All || v.UserId is not null))
        {
            var drafts = new BooleanQuery { { new TermQuery(new Term(IndexFields.State, "draft")), Occur.MUST } };
            if (!v.All) drafts.Add(new TermQuery(new Term(IndexFields.CreatorUserId, v.UserId)), Occur.MUST);
            visible.Add(drafts, Occur.SHOULD);
        }
        var result = new BooleanQuery { { visible, Occur.MUST } };
        if (!v.IncludePrivate) result.Add(new TermQuery(new Term(IndexFields.Capacity, "public")), Occur.MUST);
        return result;
    }

    private Query Parse(string text, SearchBudget? budget)
    {
        try
        {
            return new CatalogQueryParser(clock.GetUtcNow().UtcDateTime, budget).Parse(text);
        }
        catch (ParseException e)
        {
            throw new SearchException(e.Message);
        }
    }

    private static void RejectLocalParams(string text)
    {
        if (text.Contains("{!", StringComparison.Ordinal))
            throw new SearchException("Local parameters are not allowed");
    }

    private static List<(string Field, float Boost)> ParseQf(string qf)
    {
        var fields = qf.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var pieces = part.Split('^');
            var boost = pieces.Length == 2 && float.TryParse(pieces[1], System.Globalization.CultureInfo.InvariantCulture, out var b) ? b : 1f;
            return (pieces[0], boost);
        }).ToList();
        if (fields.Count > QueryLimits.MaxQueryFields)
            throw new SearchException($"Too many query fields (qf): at most {QueryLimits.MaxQueryFields}");
        return fields;
    }

    /// <summary>Solr's facet.sort=count: most frequent first, ties in value order; then mincount and limit.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> FacetResults(SearchRequest request, FacetCollector? facets)
    {
        var result = new Dictionary<string, IReadOnlyList<FacetValue>>(StringComparer.Ordinal);
        if (facets is null) return result;
        var totals = facets.Totals();
        for (var i = 0; i < request.FacetFields.Count; i++)
        {
            IEnumerable<FacetValue> values = totals[i]
                .Where(kv => kv.Value >= request.FacetMinCount)
                .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new FacetValue(kv.Key, kv.Value));
            if (request.FacetLimit >= 0) values = values.Take(request.FacetLimit);
            result[request.FacetFields[i]] = values.ToList();
        }
        return result;
    }
}
