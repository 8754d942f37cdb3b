using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.Licenses;
using Catalog.Core.Validation;
using Catalog.Indexer.Querying;

namespace Catalog.Indexer;

/// <summary>Actions answered from the search index: package_search, autocompletion, and rebuilding the index.</summary>
public static class SearchActions
{
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
        return new JsonObject
        {
            ["count"] = found.Count,
            ["facets"] = facets,
            ["results"] = new JsonArray(results),
            ["sort"] = parameters.SortEcho,
            ["search_facets"] = searchFacets,
        };
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
