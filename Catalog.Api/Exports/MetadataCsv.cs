using System.Text.Json.Nodes;

namespace Catalog.Api.Exports;

/// <summary>
/// The dataset list as CSV (RFC 4180, Japanese headers) for people who maintain BODIK by hand in a spreadsheet.
/// A cell a spreadsheet would run as a formula is prefixed with an apostrophe, as OWASP advises for CSV exports.
/// </summary>
public static class MetadataCsv
{
    public static readonly IReadOnlyList<(string Header, Func<JsonObject, string?> Value)> Columns =
    [
        ("ID", d => Str(d, "id")),
        ("名前", d => Str(d, "name")),
        ("タイトル", d => Str(d, "title")),
        ("説明", d => Str(d, "notes")),
        ("組織", d => d["organization"] is JsonObject o ? Str(o, "title") ?? Str(o, "name") : null),
        ("タグ", d => string.Join(",", (d["tags"] as JsonArray ?? []).OfType<JsonObject>().Select(t => Str(t, "name")))),
        ("ライセンス", d => Str(d, "license_title") ?? Str(d, "license_id")),
        ("更新頻度", d => Extra(d, "frequency")),
        ("対象地域", d => Extra(d, "spatial")),
        ("公開日", d => Extra(d, "issued")),
        ("作成日時", d => Str(d, "metadata_created")),
        ("最終更新日時", d => Str(d, "metadata_modified")),
        ("作成者", d => Str(d, "author")),
        ("連絡先", d => Str(d, "maintainer")),
        ("連絡先メールアドレス", d => Str(d, "maintainer_email")),
        ("リソース数", d => (d["resources"] as JsonArray ?? []).Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("リソースURL", d => string.Join("\n", (d["resources"] as JsonArray ?? []).OfType<JsonObject>().Select(r => Str(r, "url")))),
    ];

    public static void Write(TextWriter w, IEnumerable<JsonObject> datasets)
    {
        w.Write(string.Join(",", Columns.Select(c => Cell(c.Header))) + "\r\n");
        foreach (var d in datasets) w.Write(string.Join(",", Columns.Select(c => Cell(c.Value(d)))) + "\r\n");
    }

    private static string Cell(string? value)
    {
        value ??= "";
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? Extra(JsonObject d, string key) =>
        (d["extras"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(e => Str(e, "key") == key) is { } e ? Str(e, "value") : null;
}
