using System.Globalization;
using System.Text.Json.Nodes;
using Catalog.Core.DataStore;
using Catalog.Core.Dispatch;
using Catalog.Web.Hosting;

namespace Catalog.Web.Rendering;

public sealed record MapPoint(double Lat, double Lon, string Label);

/// <summary>
/// What a resource's rows show on its page, all from <c>datastore_search</c>: the first rows, a bar chart of the first
/// numeric column, and the points when the rows have latitude and longitude columns.
/// </summary>
public sealed class RowsView
{
    public const int PreviewRows = 10;
    public const int MaxPoints = 5000;

    public required string ResourceId { get; init; }
    public required IReadOnlyList<(string Id, string Type)> Fields { get; init; }
    public required IReadOnlyList<JsonObject> Rows { get; init; }
    public long Total { get; init; }
    public string? ChartSvg { get; init; }
    public string? ChartColumn { get; init; }
    public IReadOnlyList<MapPoint> Points { get; init; } = [];

    private static readonly string[] LabelNames = ["名称", "施設名", "name", "title", "名前"];

    /// <summary>The rows of a resource the visitor may read, or null when it has none in the DataStore.</summary>
    public static async Task<RowsView?> LoadAsync(PageActions actions, string resourceId)
    {
        JsonNode? first;
        try { first = await actions.CallAsync("datastore_search", new JsonObject { ["resource_id"] = resourceId, ["limit"] = PreviewRows }); }
        catch (ActionException) { return null; }
        var fields = (first?["fields"]?.AsArray() ?? []).Select(f => (Id: CatalogPageModel.S(f, "id"), Type: CatalogPageModel.S(f, "type")))
            .Where(f => f.Id != "_id").ToList();
        if (fields.Count == 0) return null;
        var rows = (first?["records"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
        var coordinates = CoordinateColumns.Find(fields.Select(f => f.Id));
        var (lat, lon) = (coordinates?.Latitude, coordinates?.Longitude);
        var label = Find(fields, LabelNames) ?? fields.FirstOrDefault(f => f.Type == "text").Id;
        var points = new List<MapPoint>();
        if (lat is not null && lon is not null)
        {
            var want = new JsonArray(lat, lon);
            if (label is not null) want.Add(label);
            var all = await actions.CallAsync("datastore_search", new JsonObject
            {
                ["resource_id"] = resourceId, ["limit"] = MaxPoints, ["fields"] = want, ["include_total"] = false,
            });
            foreach (var r in (all?["records"]?.AsArray() ?? []).OfType<JsonObject>())
                if (Number(r[lat]) is { } y && Number(r[lon]) is { } x && y is >= -90 and <= 90 && x is >= -180 and <= 180)
                    points.Add(new MapPoint(y, x, label is null ? "" : CatalogPageModel.S(r, label)));
        }
        var numeric = fields.FirstOrDefault(f => f.Type is "int" or "numeric" or "float" && f.Id != lat && f.Id != lon
            && !f.Id.Contains("コード", StringComparison.Ordinal) && !f.Id.Contains("ID", StringComparison.OrdinalIgnoreCase)).Id;
        string? chart = null;
        if (numeric is not null)
        {
            var bars = rows.Select(r => (Label: label is null ? "" : CatalogPageModel.S(r, label), Value: Number(r[numeric])))
                .Where(b => b.Value is not null).Select(b => (b.Label, b.Value!.Value)).ToList();
            if (bars.Count > 0) chart = SvgCharts.Bars(numeric, bars);
        }
        return new RowsView
        {
            ResourceId = resourceId, Fields = fields, Rows = rows, Total = (CatalogPageModel.L(first?["total"]) is var ntotal && first?["total"] is not null ? ntotal : rows.Count),
            ChartSvg = chart, ChartColumn = numeric, Points = points,
        };
    }

    private static string? Find(List<(string Id, string Type)> fields, string[] names) =>
        names.Select(n => fields.FirstOrDefault(f => string.Equals(f.Id.Trim(), n, StringComparison.OrdinalIgnoreCase)).Id).FirstOrDefault(id => id is not null);

    private static double? Number(JsonNode? n) => n switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d2) => d2,
        _ => null,
    };

    public string Cell(JsonObject row, string field) => row[field] switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var n => n.ToJsonString(),
    };
}
