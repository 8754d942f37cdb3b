using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Validation;
using Catalog.Sync.Targets;

namespace Catalog.Sync.Mapping;

/// <summary>
/// Our dataset (its package_show dict) as BODIK wants it (docs/reference japan-opendata §1): the name prefixed by the
/// remote organization's code, the department as author, and every field the metadata schema annotates with
/// <c>x-bodik</c> under the key and in the spelling named there. The schema is the one mapping; nothing here names
/// a metadata field.
/// </summary>
public sealed class BodikMapper(MetadataSchema schema)
{
    /// <summary>CKAN's longest dataset name.</summary>
    private const int MaxName = 100;

    public static string RemoteName(SyncTarget target, string localName)
    {
        var prefix = target.Organization + "_";
        var name = localName.StartsWith(prefix, StringComparison.Ordinal) ? localName : prefix + localName;
        return name.Length > MaxName ? name[..MaxName] : name;
    }

    public JsonObject Map(SyncTarget target, JsonObject local)
    {
        var remote = new JsonObject
        {
            ["name"] = RemoteName(target, Text(local["name"]) ?? ""),
            ["title"] = Text(local["title"]),
            ["notes"] = Text(local["notes"]),
            ["owner_org"] = target.Organization,
            ["private"] = false,
        };
        var extras = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var localExtras = Extras(local);
        foreach (var field in schema.DatasetFields.Where(f => f.Bodik is not null))
        {
            var value = field.Place == FieldPlace.Core ? Text(local[field.Name]) : localExtras.GetValueOrDefault(field.Name);
            Put(field, value, remote, extras);
        }
        // 作成者 is the department; a dataset without one names its organization, which is a department here.
        if (string.IsNullOrWhiteSpace(Text(remote["author"]))) remote["author"] = Text(local["organization"]?["title"]);
        remote["extras"] = new JsonArray(extras.Select(kv => (JsonNode?)new JsonObject { ["key"] = kv.Key, ["value"] = kv.Value }).ToArray());
        remote["tags"] = new JsonArray((local["tags"] as JsonArray ?? [])
            .Select(t => Text(t?["name"])).OfType<string>().Distinct().Order(StringComparer.Ordinal)
            .Select(n => (JsonNode?)new JsonObject { ["name"] = n }).ToArray());
        remote["resources"] = new JsonArray((local["resources"] as JsonArray ?? []).OfType<JsonObject>().Select(MapResource).ToArray());
        return remote;
    }

    private JsonNode? MapResource(JsonObject local)
    {
        // Files are linked: the URL is our download address, which stays stable for a resource.
        var remote = new JsonObject { ["name"] = Text(local["name"]), ["url"] = Text(local["url"]) ?? "" };
        foreach (var field in schema.ResourceFields.Where(f => f.Bodik is not null))
        {
            // A resource keeps its free keys at the top level, as CKAN does.
            var value = local[field.Name] is JsonValue v ? (v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) : null;
            var key = Text(field.Bodik!["key"]) ?? field.Name;
            var written = Spell(field, value);
            if (!string.IsNullOrEmpty(written)) remote[key] = written;
        }
        return remote;
    }

    private static void Put(MetadataField field, string? value, JsonObject remote, SortedDictionary<string, string> extras)
    {
        var written = Spell(field, value);
        if (string.IsNullOrEmpty(written)) return;
        var key = Text(field.Bodik!["key"]) ?? field.Name;
        if (field.Place == FieldPlace.Core) remote[key] = written;
        else extras[key] = written;
    }

    /// <summary>The value as BODIK spells it: the code as stored, or its choice's label in the language named.</summary>
    private static string? Spell(MetadataField field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var how = Text(field.Bodik!["value"]) ?? "code";
        if (!how.StartsWith("label:", StringComparison.Ordinal)) return value;
        var language = how["label:".Length..];
        return field.Choose(value) is { } choices
            ? string.Join(",", choices.Select(c => Text(c.Label[language]) ?? c.Code))
            : value;
    }

    /// <summary>A fingerprint of what would be written, so an unchanged dataset makes no remote write.</summary>
    public static string Fingerprint(JsonObject remote) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(remote.ToJsonString())));

    private static Dictionary<string, string> Extras(JsonObject local) =>
        (local["extras"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(x => Text(x["key"]) is not null)
            .GroupBy(x => Text(x["key"])!).ToDictionary(g => g.Key, g => Text(g.Last()["value"]) ?? "");

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
