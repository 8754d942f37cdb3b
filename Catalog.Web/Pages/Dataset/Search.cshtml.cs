using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Indexer.Highlighting;
using Catalog.Web.Hosting;
using Catalog.Web.Rendering;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Web.Pages.Dataset;

public sealed record FacetItem(string Name, string Display, long Count, bool Selected);
public sealed record FacetGroup(string Field, string Label, IReadOnlyList<FacetItem> Items);

/// <summary>
/// Dataset search as CKAN's /dataset: one <c>package_search</c> (answered from the index) gives the results, the total
/// and the facets; matches are highlighted with the index's own analysis. No result: suggestions from
/// <c>package_autocomplete</c> and a kana/width variant of the words when it finds something.
/// </summary>
public sealed class SearchModel(SearchHighlighter highlighter) : CatalogPageModel
{
    /// <summary>The facet fields, in the order shown, with their query parameter (the same name).</summary>
    public static readonly string[] FacetFields = ["organization", "groups", "tags", "res_format", "license_id"];

    public static readonly string[] Sorts = ["score desc, metadata_modified desc", "metadata_modified desc", "metadata_created desc", "title_string asc", "title_string desc"];

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    /// <summary>CKAN's <c>?page=</c>, read by hand: "page" is a route value Razor Pages keeps for itself.</summary>
    public int PageNumber { get; private set; } = 1;

    public long Count { get; private set; }
    public int Pages { get; private set; }
    public IReadOnlyList<JsonNode?> Results { get; private set; } = [];
    public IReadOnlyList<FacetGroup> Facets { get; private set; } = [];
    public IReadOnlyList<(string Name, string Title)> Suggestions { get; private set; } = [];
    public string? DidYouMean { get; private set; }
    public string? Error { get; private set; }
    public Dictionary<string, List<string>> Selected { get; } = [];

    public async Task OnGetAsync()
    {
        Title = string.IsNullOrWhiteSpace(Q) ? T["search.title"] : T.Format("search.title.q", Q);
        Alternates.Add(($"/api/3/action/package_search?q={Uri.EscapeDataString(Q ?? "")}", "application/json", "CKAN API"));
        foreach (var f in FacetFields)
            if (Request.Query[f] is { Count: > 0 } values)
                Selected[f] = values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct().Take(10).ToList();
        if (!Sorts.Contains(Sort)) Sort = Sorts[0];
        PageNumber = int.TryParse(Request.Query["page"], out var asked) ? Math.Clamp(asked, 1, 1000) : 1;
        var size = Ui.PageSize;
        JsonNode? found;
        try
        {
            found = await SearchAsync(Q, size);
        }
        catch (ActionException e) when (e is SearchQueryException or SearchException or ValidationException)
        {
            Error = T["search.error"];
            return;
        }
        Count = CatalogPageModel.L(found?["count"]);
        Pages = (int)Math.Min(1000, (Count + size - 1) / size);
        Results = found?["results"]?.AsArray().ToList() ?? [];
        Facets = FacetFields.Select(f => new FacetGroup(f, T[$"facet.{f}"],
            (found?["search_facets"]?[f]?["items"]?.AsArray() ?? []).Select(i => new FacetItem(S(i, "name"), S(i, "display_name"),
                CatalogPageModel.L(i?["count"]), Selected.GetValueOrDefault(f)?.Contains(S(i, "name")) == true))
            .OrderByDescending(i => i.Count).ToList())).Where(g => g.Items.Count > 0).ToList();
        if (Count == 0 && !string.IsNullOrWhiteSpace(Q)) await HelpAsync(Q, found);
    }

    private Task<JsonNode?> SearchAsync(string? q, int rows)
    {
        var fq = new JsonArray();
        foreach (var (field, values) in Selected)
            foreach (var v in values) fq.Add($"{field}:\"{v.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"");
        return Actions.CallAsync("package_search", new JsonObject
        {
            ["q"] = q ?? "", ["fq_list"] = fq, ["sort"] = Sort, ["rows"] = rows, ["start"] = (PageNumber - 1) * rows,
            ["facet.field"] = new JsonArray(FacetFields.Select(f => (JsonNode?)f).ToArray()), ["facet.limit"] = 10,
        });
    }

    private async Task HelpAsync(string q, JsonNode? found)
    {
        var suggested = await Actions.CallAsync("package_autocomplete", new JsonObject { ["q"] = q, ["limit"] = 5 });
        Suggestions = (suggested?.AsArray() ?? []).Select(s => (S(s, "name"), S(s, "title"))).ToList();
        // The search's own "did you mean" (nearest indexed words, checked to find datasets this reader may see) first.
        if (found?["search_suggestions"]?.AsArray().Select(s => s?.GetValue<string>()).FirstOrDefault(s => !string.IsNullOrEmpty(s)) is { } nearest)
        {
            DidYouMean = nearest;
            return;
        }
        foreach (var variant in KanaVariants.Of(q))
        {
            var n = await Actions.CallAsync("package_search", new JsonObject { ["q"] = variant, ["rows"] = 0, ["facet"] = false });
            if (CatalogPageModel.L(n?["count"]) > 0) { DidYouMean = variant; break; }
        }
    }

    private Func<string?, string>? _highlight;

    /// <summary>The text with the matches marked; the query is built once for the whole page.</summary>
    public string Highlight(string? text) => (_highlight ??= highlighter.For(Q))(text);

    /// <summary>A short plain excerpt of the notes (Markdown marks dropped), highlighted.</summary>
    public string Excerpt(string? notes)
    {
        if (string.IsNullOrEmpty(notes)) return "";
        var plain = new StringBuilder(notes.Length);
        foreach (var c in notes) if (c is not ('*' or '#' or '_' or '`')) plain.Append(c is '\n' or '\r' ? ' ' : c);
        var s = plain.ToString().Trim();
        return Highlight(s.Length > 180 ? s[..180] + "…" : s);
    }

    /// <summary>This search's address with one parameter changed (null removes it).</summary>
    public string With(string key, string? value, string? toggleFacet = null)
    {
        var pairs = new List<(string, string)>();
        if (!string.IsNullOrEmpty(Q)) pairs.Add(("q", Q));
        if (Sort != Sorts[0]) pairs.Add(("sort", Sort!));
        foreach (var (f, values) in Selected)
            foreach (var v in values)
                if (!(f == key && v == toggleFacet)) pairs.Add((f, v));
        if (toggleFacet is not null && Selected.GetValueOrDefault(key)?.Contains(toggleFacet) != true) pairs.Add((key, toggleFacet));
        if (key == "page" && value is not null && value != "1") pairs.Add(("page", value));
        if (key is "q" or "sort")
        {
            pairs.RemoveAll(p => p.Item1 == key);
            if (value is not null) pairs.Add((key, value));
        }
        return "/dataset" + (pairs.Count == 0 ? "" : "?" + string.Join("&", pairs.Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}")));
    }
}
