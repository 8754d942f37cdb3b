using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Licenses;
using Catalog.Core.Validation;
using Catalog.Indexer.Querying;

namespace Catalog.Indexer;

/// <summary>Actions answered from the search index: package_search, autocompletion, and rebuilding the index.</summary>
public static class SearchActions
{
    /// <summary>Actions served from the index (package_search, autocompletion …).</summary>
    public static ActionRegistry AddSearchActions(this ActionRegistry registry) => registry
        .Read("package_search", AuthRules.Anyone, PackageSearch,
            "Search datasets (CKAN/Solr semantics, Japanese-aware matching).\n\n" +
            ":param q: free text (dismax over name^4 title^4 tags^2 groups^2 text); with a ':' Lucene syntax, AND by default\n" +
            ":param fq: a filter in Lucene syntax (organization:x, tags:\"air quality\", metadata_modified:[NOW-7DAYS TO *] …)\n" +
            ":param fq_list: a list of filters, all applied\n" +
            ":param sort: comma-separated 'field asc|desc' over score, metadata_modified, metadata_created, name, title_string, id\n" +
            "    (default 'score desc, metadata_modified desc')\n" +
            ":param rows: results per page (default 10, at most 1000)\n:param start: offset of the first result (at most 100000)\n" +
            ":param facet: whether to count facets (default true)\n:param facet.field: JSON list of fields to count (at most 20)\n" +
            ":param facet.limit: values per field (default 50, -1 for all; at most 1000)\n:param facet.mincount: smallest count shown (default 1)\n" +
            ":param include_private: also the private datasets the caller may read\n" +
            ":param include_drafts: also the caller's own drafts (all drafts for sysadmins)\n" +
            ":param fl: return only these fields instead of whole dicts\n\n" +
            "Returns count, sort, results (dataset dicts), facets and search_facets; when nothing is found, also\n" +
            "search_suggestions: queries that find datasets (did you mean).\n\n" +
            "A search must be answered within a second: q is at most 1000 characters, each filter 2000; regular\n" +
            "expressions are not supported, patterns take at most 4 wildcards and parentheses nest at most 10 deep.\n" +
            "Beyond a limit the answer is a Search Error (409).")
        .Read("package_autocomplete", AuthRules.Anyone, PackageAutocomplete,
            "Return public datasets whose name or title contains the string q (Japanese words inside titles too).\n\n" +
            ":param q: the string to look for\n:param limit: (optional, default 10)\n\n" +
            "Returns a list of {name, title, match_field, match_displayed}.")
        .Read("format_autocomplete", AuthRules.Anyone, FormatAutocomplete,
            "Return the resource formats of public datasets that contain the string q, the most used first.\n\n" +
            ":param q: the string to look for\n:param limit: (optional, default 5)")
        .Write("search_index_rebuild", AuthRules.Sysadmin, Rebuild,
            "Rebuild the search index from the store. Sysadmins only.\n\nReturns the number of datasets indexed.");

    public static async Task<JsonNode?> PackageSearch(ActionContext ctx, JsonObject d)
    {
        var parameters = PackageSearchParameters.Read(d);
        var request = parameters.Request with
        {
            Visibility = await VisibilityAsync(ctx, parameters.IncludePrivate, parameters.IncludeDrafts),
            TimeAllowed = ctx.Get<SearchTimeLimit>().Allowed,
        };
        var started = Stopwatch.GetTimestamp();
        var found = ctx.Get<Searcher>().Search(request);
        ctx.Get<SearchMetrics>().Searched(Stopwatch.GetElapsedTime(started));

        var results = parameters.Fl is { Count: > 0 } fl
            ? found.Results.Select(r => (JsonNode?)SolrFields.Select(JsonObject.Create(r)!, fl)).ToArray()
            // Backed by the parsed element until touched, so the dict is written out without building nodes.
            : found.Results.Select(r => (JsonNode?)JsonObject.Create(r)).ToArray();
        var (facets, searchFacets) = await FacetsAsync(ctx, request.FacetFields, found.Facets);
        var answer = new JsonObject
        {
            ["count"] = found.Count,
            ["facets"] = facets,
            ["results"] = new JsonArray(results),
            ["sort"] = parameters.SortEcho,
            ["search_facets"] = searchFacets,
        };
        // An extra key CKAN clients ignore, and only when nothing was found: "did you mean".
        if (found.Count == 0) answer["search_suggestions"] = new JsonArray(found.Suggestions.Select(s => (JsonNode?)s).ToArray());
        return answer;
    }

    /// <summary>CKAN's package_autocomplete: matched by name, or else by title and shown as "title (name)".</summary>
    public static Task<JsonNode?> PackageAutocomplete(ActionContext ctx, JsonObject d)
    {
        var q = DataDict.String(d, "q") ?? "";
        var limit = DataDict.Int(d, "limit", 10, min: 0, max: 1000);
        var found = ctx.Get<Autocompleter>().Datasets(q, limit);
        return Task.FromResult<JsonNode?>(new JsonArray(found.Select(s => (JsonNode?)new JsonObject
        {
            ["match_displayed"] = s.MatchedName ? s.Name : $"{s.Title} ({s.Name})",
            ["match_field"] = s.MatchedName ? "name" : "title",
            ["name"] = s.Name,
            ["title"] = s.Title,
        }).ToArray()));
    }

    /// <summary>
    /// CKAN's format_autocomplete, over public datasets only (CKAN counts private ones too, which can leak them).
    /// </summary>
    public static Task<JsonNode?> FormatAutocomplete(ActionContext ctx, JsonObject d)
    {
        if (d["q"] is null) throw ValidationException.For("q", Validators.MissingValue);
        var q = DataDict.String(d, "q") ?? "";
        var limit = DataDict.Int(d, "limit", 5, min: 0, max: 1000);
        var found = ctx.Get<Autocompleter>().Formats(q, limit);
        return Task.FromResult<JsonNode?>(new JsonArray(found.Select(f => (JsonNode?)f.Format).ToArray()));
    }

    public static async Task<JsonNode?> Rebuild(ActionContext ctx, JsonObject d)
    {
        var follower = ctx.Get<IndexFollower>();
        var count = await follower.RebuildAsync(ct: ctx.CancellationToken);
        return new JsonObject { ["indexed"] = count, ["seq"] = follower.Index.AppliedSeq };
    }

    /// <summary>
    /// The caller's labels (Core's <see cref="Visibility"/>). Organization labels only ever open private or draft
    /// datasets, so the look-up of roles is skipped when neither is wanted.
    /// </summary>
    private static async Task<SearchVisibility> VisibilityAsync(ActionContext ctx, bool includePrivate, bool includeDrafts) =>
        SearchVisibility.For(await Visibility.ReaderAsync(ctx.Authz, ctx.CancellationToken, memberships: includePrivate || includeDrafts),
            includePrivate, includeDrafts);

    /// <summary>
    /// <c>facets</c> (value → count, most frequent first) and <c>search_facets</c> (items with display names: the
    /// title of organizations and groups, the licence title; sorted by display name descending, as CKAN does).
    /// </summary>
    private static async Task<(JsonObject Facets, JsonObject SearchFacets)> FacetsAsync(
        ActionContext ctx, IReadOnlyList<string> fields, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> counted)
    {
        var facets = new JsonObject();
        var searchFacets = new JsonObject();
        var groupNames = counted.Where(kv => kv.Key is IndexFields.Organization or IndexFields.Groups)
            .SelectMany(kv => kv.Value.Select(v => v.Name)).Distinct().ToList();
        var titles = groupNames.Count == 0 ? new Dictionary<string, string>()
            : await ctx.Get<GroupTitles>().ForAsync(groupNames, ctx.CancellationToken);
        var licenses = ctx.Get<LicenseRegistry>();

        foreach (var field in fields.Distinct())
        {
            var values = counted.GetValueOrDefault(field) ?? [];
            var counts = new JsonObject();
            foreach (var v in values) counts[v.Name] = v.Count;
            facets[field] = counts;

            var items = values.Select(v => new
            {
                v.Name,
                v.Count,
                Display = field switch
                {
                    IndexFields.Organization or IndexFields.Groups => titles.GetValueOrDefault(v.Name) is { Length: > 0 } t && t.Trim().Length > 0 ? t : v.Name,
                    IndexFields.LicenseId => licenses.Find(v.Name)?.Title ?? v.Name,
                    _ => v.Name,
                },
            }).OrderByDescending(i => i.Display, StringComparer.Ordinal);
            searchFacets[field] = new JsonObject
            {
                ["title"] = field,
                ["items"] = new JsonArray(items.Select(i => (JsonNode?)new JsonObject
                {
                    ["name"] = i.Name, ["display_name"] = i.Display, ["count"] = i.Count,
                }).ToArray()),
            };
        }
        return (facets, searchFacets);
    }
}
