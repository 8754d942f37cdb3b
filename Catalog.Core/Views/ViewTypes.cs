using System.Text.Json.Nodes;
using Catalog.Core.Validation;
using static Catalog.Core.Validation.Validators;

namespace Catalog.Core.Views;

/// <summary>
/// One kind of resource view: its name (CKAN's view_type), the title a default view gets, and the schema of its own
/// settings, which are kept in the view's config. <paramref name="RequiresDataStore"/>: it shows DataStore rows.
/// </summary>
public sealed record ViewType(string Name, string DefaultTitle, Schema Config, bool RequiresDataStore = false);

/// <summary>
/// The fixed list of view types served here: CKAN 2.11's own view plugins (their names and settings), plus
/// <c>map_view</c>, the points of rows with latitude and longitude columns, which the citizen pages draw.
/// A view_type not in this list is refused as CKAN refuses one no plugin serves.
/// </summary>
public static class ViewTypes
{
    public const string Image = "image_view";
    public const string Table = "datatables_view";
    public const string Map = "map_view";

    /// <summary>A URL a page may link or embed: http(s) only, so a view can never carry a script URL.</summary>
    private static readonly Validator WebUrl = f =>
    {
        if (AsString(f.Value) is not { } s) return;
        if (s.Length > PackageSchemas.UrlMax) { f.Error($"Must be no longer than {PackageSchemas.UrlMax} characters"); return; }
        if (!Uri.TryCreate(s, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps))
            f.Error("Please provide a valid URL");
    };

    /// <summary>CKAN's convert_to_list_if_string: a field list may come as one comma-separated string.</summary>
    private static readonly Validator StringList = f =>
    {
        if (f.Value is JsonValue v && AsString(v) is { } s)
            f.Value = new JsonArray(s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(x => (JsonNode?)x).ToArray());
        if (f.Value is not JsonArray list || list.Any(x => AsString(x) is null || AsString(x)!.Length > 1000) || list.Count > 1000)
            f.Error("Must be a list of strings");
    };

    private static Schema Urls(params string[] keys) =>
        keys.Aggregate(new Schema(), (schema, key) => schema.Field(key, IgnoreEmpty, UnicodeSafe, Strip, WebUrl));

    public static readonly IReadOnlyList<ViewType> All =
    [
        new(Image, "Image", Urls("image_url")),
        new(Table, "Table", new Schema()
            .Field("responsive", Default(false), BooleanValue)
            .Field("ellipsis_length", Default(100), NaturalNumber)
            .Field("date_format", Default("llll"), UnicodeSafe, MaxLength(100))
            .Field("show_fields", IgnoreMissing, StringList)
            .Field("filterable", Default(true), BooleanValue)
            .Field("filter_fields", IgnoreMissing, StringList)
            .Field("filter_values", IgnoreMissing, StringList)
            .Check(SameLengthFilters), RequiresDataStore: true),
        new(Map, "Map", new Schema()
            .Field("latitude_field", NotEmpty, UnicodeSafe, MaxLength(1000))
            .Field("longitude_field", NotEmpty, UnicodeSafe, MaxLength(1000)), RequiresDataStore: true),
        new("webpage_view", "Website", Urls("page_url")),
        new("text_view", "Text", new Schema()),
        new("video_view", "Video", Urls("video_url", "poster_url")),
        new("audio_view", "Audio", Urls("audio_url")),
    ];

    public static ViewType? Find(string? name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>CKAN's filter_fields_and_values_should_have_same_length.</summary>
    private static void SameLengthFilters(JsonObject data, JsonObject errors)
    {
        var fields = Count(data["filter_fields"]);
        var values = Count(data["filter_values"]);
        if (fields != values)
        {
            const string message = "\"filter_fields\" and \"filter_values\" should have the same length";
            errors["filter_fields"] = new JsonArray(message);
            errors["filter_values"] = new JsonArray(message);
        }
    }

    private static int Count(JsonNode? list) => list switch
    {
        JsonArray a => a.Count,
        JsonValue v when AsString(v) is { } s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Length,
        _ => 0,
    };
}
