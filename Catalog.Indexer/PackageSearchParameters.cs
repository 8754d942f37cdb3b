using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Indexer.Querying;

namespace Catalog.Indexer;

/// <summary>
/// Reading package_search's parameters as CKAN does (reference §2.1): the known keys, their defaults and limits
/// (<c>rows</c> and <c>facet.limit</c> capped silently, as CKAN caps rows; <c>start</c> and the number of facet fields
/// refused beyond <see cref="QueryLimits"/>).
/// </summary>
public sealed record PackageSearchParameters(
    SearchRequest Request, bool IncludePrivate, bool IncludeDrafts, bool Facet, IReadOnlyList<string>? Fl, string SortEcho)
{
    public const int RowsMax = 1000;

    /// <summary>Solr parameters CKAN passes through plus package_search's own; anything else is refused.</summary>
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "q", "fq", "fq_list", "sort", "rows", "start", "facet", "facet.field", "facet.limit", "facet.mincount",
        "include_private", "include_drafts", "include_deleted", "use_default_schema", "fl",
        "qf", "defType", "mm", "tie", "bf", "boost", "wt", "df", "extras",
    };

    public static PackageSearchParameters Read(JsonObject d)
    {
        var unknown = d.Select(kv => kv.Key).Where(k => !Known.Contains(k) && !k.StartsWith("ext_", StringComparison.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw new SearchQueryException($"Invalid search parameters: [{string.Join(", ", unknown.Select(k => $"'{k}'"))}]");

        var filters = new List<string>();
        if (DataDict.String(d, "fq") is { Length: > 0 } fq) filters.Add(fq);
        filters.AddRange(FqList(d));
        var sort = DataDict.String(d, "sort");
        QueryLimits.CheckParameter("sort", sort);
        var facet = DataDict.Bool(d, "facet", true);
        var start = DataDict.Int(d, "start", 0, min: 0);
        if (start > QueryLimits.MaxStart)
            throw new SearchException($"start is too large: at most {QueryLimits.MaxStart}; narrow the search with fq instead");
        var facetFields = facet ? DataDict.StringList(d, "facet.field") ?? [] : [];
        if (facetFields.Count > QueryLimits.MaxFacetFields)
            throw new SearchException($"Too many facet fields (facet.field): at most {QueryLimits.MaxFacetFields}");
        var facetLimit = DataDict.Int(d, "facet.limit", 50, min: -1);
        var request = new SearchRequest
        {
            Q = DataDict.String(d, "q"),
            Filters = filters,
            Sort = sort,
            Rows = DataDict.Int(d, "rows", 10, min: 0, max: RowsMax),
            Start = start,
            FacetFields = facetFields,
            FacetLimit = facetLimit is < 0 or > QueryLimits.MaxFacetLimit ? QueryLimits.MaxFacetLimit : facetLimit,
            FacetMinCount = DataDict.Int(d, "facet.mincount", 1, min: 0),
            Qf = DataDict.String(d, "qf"),
            Mm = DataDict.String(d, "mm"),
            Tie = DataDict.String(d, "tie") is { Length: > 0 } tie
                ? float.TryParse(tie, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : throw new SearchQueryException("Invalid \"tie\" parameter")
                : null,
            DefType = DataDict.String(d, "defType"),
        };
        // Validated here so a bad sort is refused before anything else runs.
        SortSpec.Parse(sort);
        return new PackageSearchParameters(
            request,
            DataDict.Bool(d, "include_private", false),
            DataDict.Bool(d, "include_drafts", false),
            facet,
            FieldList(d),
            string.IsNullOrWhiteSpace(sort) ? SortSpec.Default : sort);
    }

    /// <summary>A JSON list; from a query string, a repeated key (a list) or one value.</summary>
    private static IEnumerable<string> FqList(JsonObject d) => d["fq_list"] switch
    {
        null => [],
        JsonArray a => a.Select(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : x?.ToJsonString() ?? ""),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().TrimStart().StartsWith('[') => DataDict.StringList(d, "fq_list")!,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => throw ValidationException.For("fq_list", "Must be a list of strings"),
    };

    /// <summary><c>fl</c>: a list, or names separated by spaces or commas.</summary>
    private static List<string>? FieldList(JsonObject d) => d["fl"] switch
    {
        null => null,
        JsonArray => DataDict.StringList(d, "fl"),
        _ => DataDict.String(d, "fl") is { Length: > 0 } s && !s.TrimStart().StartsWith('[')
            ? s.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).ToList()
            : DataDict.StringList(d, "fl"),
    };
}
