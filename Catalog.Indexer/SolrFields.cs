using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;

namespace Catalog.Indexer;

/// <summary>
/// With <c>fl</c>, CKAN returns the named fields of the Solr document instead of whole dicts. Those fields are
/// derived from the stored dict here: core keys as they are, and the search-only fields as Solr holds them
/// (organization and group names, tag names, <c>res_*</c> lists, <c>extras_*</c>, <c>capacity</c> …).
/// Fields the document lacks are left out, as Solr does.
/// </summary>
public static class SolrFields
{
    public static JsonObject Select(JsonObject dict, IEnumerable<string> fields)
    {
        var result = new JsonObject();
        foreach (var field in fields.Distinct())
            if (Value(dict, field) is { } value) result[field] = value;
        return result;
    }

    private static JsonNode? Value(JsonObject dict, string field)
    {
        switch (field)
        {
            case IndexFields.Organization:
                return dict["organization"] is JsonObject org ? org["name"]?.DeepClone() : null;
            case IndexFields.Tags:
                // Free tags only, as Solr's tags field: a vocabulary's tags are not in it.
                return Names(new JsonObject { ["tags"] = new JsonArray((dict["tags"] as JsonArray ?? [])
                    .Where(t => t?["vocabulary_id"] is null).Select(t => t?.DeepClone()).ToArray()) }, "tags", "name");
            case IndexFields.Groups:
                return Names(dict, "groups", "name");
            case IndexFields.ResFormat: return Names(dict, "resources", "format");
            case IndexFields.ResName: return Names(dict, "resources", "name");
            case IndexFields.ResDescription: return Names(dict, "resources", "description");
            case IndexFields.ResUrl: return Names(dict, "resources", "url");
            case IndexFields.ResType: return Names(dict, "resources", "resource_type");
            case IndexFields.Capacity:
                return dict["private"] is JsonValue p && p.GetValueKind() == JsonValueKind.True ? "private" : "public";
            case IndexFields.DatasetType: return dict["type"]?.DeepClone();
            case IndexFields.TitleString: return dict["title"]?.DeepClone();
            case IndexFields.SiteId: return IndexFields.SiteIdValue;
            case IndexFields.DataDict or "validated_data_dict": return dict.ToJsonString();
        }
        if (field.StartsWith(IndexFields.ExtrasPrefix, StringComparison.Ordinal))
        {
            var key = field[IndexFields.ExtrasPrefix.Length..];
            return (dict["extras"] as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(e => e["key"]?.GetValue<string>() == key)?["value"]?.DeepClone();
        }
        return dict.TryGetPropertyValue(field, out var v) ? v?.DeepClone() : null;
    }

    private static JsonArray? Names(JsonObject dict, string list, string key)
    {
        if (dict[list] is not JsonArray items) return null;
        var values = items.OfType<JsonObject>().Select(i => i[key]).OfType<JsonValue>()
            .Where(v => v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0)
            .Select(v => (JsonNode?)v.GetValue<string>()).ToArray();
        return values.Length > 0 ? new JsonArray(values) : null;
    }
}
