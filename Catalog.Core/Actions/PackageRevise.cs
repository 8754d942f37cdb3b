using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Validation;

namespace Catalog.Core.Actions;

/// <summary>
/// package_revise: CKAN's safe partial edit of a dataset. The dataset is read, checked against <c>match</c>,
/// trimmed by <c>filter</c>, merged with <c>update</c> and the flattened <c>update__…</c> keys, then saved as
/// package_update, all in the call's one transaction: when <c>match</c> no longer holds nothing changes.
/// </summary>
public static class PackageRevise
{
    public const string MatchPrefix = "match__";
    public const string UpdatePrefix = "update__";

    public static ActionRegistry AddPackageReviseAction(this ActionRegistry r) => r
        .Upload("package_revise", Auth, Revise,
            "Revise a dataset selectively with match, filter and update.\n\n" +
            ":param match: a dict with the dataset's \"id\" or \"name\"; every value given must equal the dataset's or a\n" +
            "    Validation Error lists the keys that differ and nothing changes\n" +
            ":param filter: (optional) glob patterns of fields to remove first, e.g. \"-resources__1\"; \"+\" keeps\n" +
            ":param update: (optional) a dict merged into the dataset (lists merge item by item)\n" +
            ":param include: (optional) glob patterns of what to return, e.g. \"-*\" for nothing\n\n" +
            "match__<key> and update__<key> take flattened keys: list items by index (-1 the last) or by the first five or\n" +
            "more characters of their id; update__resources__extend appends resources. A file sent as the multipart part\n" +
            "update__resources__<index or id>__upload is stored as that resource's file.\n\n" +
            "Returns {\"package\": the updated dataset}.");

    /// <summary>The request as CKAN's package_revise_schema reads it: JSON given as text is decoded.</summary>
    private sealed record Request(
        JsonObject? Match, List<string>? Filter, JsonObject? Update, List<string>? Include,
        SortedDictionary<string, JsonNode?> MatchKeys, List<(string Key, JsonNode? Value)> UpdateKeys);

    private static Request Parse(ActionContext ctx, JsonObject d)
    {
        var errors = new JsonObject();
        var match = DictOnly(d, "match", errors);
        var update = DictOnly(d, "update", errors);
        var filter = ListOfStrings(d, "filter", errors);
        var include = ListOfStrings(d, "include", errors);
        if (errors.Count > 0) throw new ValidationException(errors);

        var matchKeys = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        var updateKeys = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in d)
        {
            if (key.StartsWith(MatchPrefix, StringComparison.Ordinal) && key.Length > MatchPrefix.Length)
                matchKeys[key[MatchPrefix.Length..]] = JsonOrString(value);
            else if (key.StartsWith(UpdatePrefix, StringComparison.Ordinal) && key.Length > UpdatePrefix.Length)
                updateKeys[key[UpdatePrefix.Length..]] = JsonOrString(value);
        }
        // A file part stands in its key's place as the name of the part; the dataset's save stores the file.
        foreach (var part in ctx.Files.Keys)
            if (part.StartsWith(UpdatePrefix, StringComparison.Ordinal) && part.EndsWith("__upload", StringComparison.Ordinal))
                updateKeys[part[UpdatePrefix.Length..]] = part;
        // __extend keys first, so a file may be attached to a resource added in the same call.
        var ordered = updateKeys.OrderBy(kv => kv.Key.EndsWith("extend", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).ToList();
        return new Request(match, filter, update, include, matchKeys, ordered);
    }

    private static string? NameOrId(Request req) =>
        Str(req.MatchKeys.GetValueOrDefault("id")) ?? Str(req.Match?["id"])
        ?? Str(req.MatchKeys.GetValueOrDefault("name")) ?? Str(req.Match?["name"]);

    /// <summary>Editing the matched dataset, as package_update's rule (CKAN checks package_revise against package_update).</summary>
    private static Task Auth(ActionContext ctx, JsonObject d)
    {
        var id = NameOrId(Parse(ctx, d)) ?? throw ValidationException.For("match__id", Validators.MissingValue);
        return PackageAuth.Update(ctx, new JsonObject { ["id"] = id });
    }

    private static async Task<JsonNode?> Revise(ActionContext ctx, JsonObject d)
    {
        var req = Parse(ctx, d);
        var nameOrId = NameOrId(req) ?? throw ValidationException.For("match__id", Validators.MissingValue);
        var existing = await PackageLookup.ReadableAsync(ctx, nameOrId);
        var orig = await PackageLookup.DictizeAsync(ctx, existing);

        var unmatched = new List<string>();
        if (req.Match is not null) unmatched.AddRange(FlattenedKeys.CheckDict(orig, req.Match));
        foreach (var (key, value) in req.MatchKeys)
        {
            try { unmatched.AddRange(FlattenedKeys.CheckStringKey(orig, key, value)); }
            catch (FlattenedKeyException e) { throw ValidationException.For(MatchPrefix + key, e.Message); }
        }
        if (unmatched.Count > 0)
            throw new ValidationException(new JsonObject { ["match"] = new JsonArray(unmatched.Select(u => (JsonNode?)u).ToArray()) });

        var revised = orig.DeepClone().AsObject();
        revised.Remove("metadata_modified");
        if (req.Filter is not null)
        {
            FlattenedKeys.FilterGlobMatch(revised, req.Filter);
            revised["id"] = existing.Id;
        }
        if (req.Update is not null)
        {
            try { FlattenedKeys.UpdateMergeDict(revised, req.Update); }
            catch (FlattenedKeyException e) { throw ValidationException.For("update", e.Message); }
        }
        foreach (var (key, value) in req.UpdateKeys)
        {
            try { FlattenedKeys.UpdateMergeStringKey(revised, key, value); }
            catch (FlattenedKeyException e) { throw ValidationException.For(key, e.Message); }
        }
        // The dataset stays the one matched: an update may not retarget the save at another dataset.
        revised["id"] = existing.Id;

        var result = PackageSchemas.Update.Validate(revised);
        if (!result.IsValid) throw new ValidationException(result.Errors);
        var output = new JsonObject { ["package"] = await Packages.Update(ctx, result.Data) };
        if (req.Include is not null) FlattenedKeys.FilterGlobMatch(output, req.Include);
        return output;
    }

    /// <summary>CKAN's json_or_string: text that is JSON is decoded, other text stays text.</summary>
    private static JsonNode? JsonOrString(JsonNode? value)
    {
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return value?.DeepClone();
        var s = v.GetValue<string>();
        try { return JsonNode.Parse(s); }
        catch (JsonException) { return s; }
    }

    private static JsonObject? DictOnly(JsonObject d, string key, JsonObject errors)
    {
        if (!d.ContainsKey(key) || d[key] is null) return null;
        if (JsonOrString(d[key]) is JsonObject o) return o;
        ValidationException.Add(errors, key, "Must be a dict");
        return null;
    }

    /// <summary>CKAN's json_list_or_string then list_of_strings: a JSON list, or comma-separated text.</summary>
    private static List<string>? ListOfStrings(JsonObject d, string key, JsonObject errors)
    {
        var value = d[key];
        if (!d.ContainsKey(key) || value is null) return null;
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var s = v.GetValue<string>();
            try { value = JsonNode.Parse(s); }
            catch (JsonException) { return s.Split(',').ToList(); }
        }
        if (value is JsonArray a && a.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.String))
            return a.Select(x => x!.GetValue<string>()).ToList();
        if (value is JsonValue single && single.GetValueKind() == JsonValueKind.String) return [single.GetValue<string>()];
        ValidationException.Add(errors, key, "Not a list");
        return null;
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
