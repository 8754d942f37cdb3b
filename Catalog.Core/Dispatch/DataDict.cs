using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Validation;

namespace Catalog.Core.Dispatch;

/// <summary>Reading request values the way CKAN's actions do (<c>_get_or_bust</c>, <c>asbool</c>, <c>asint</c>).</summary>
public static class DataDict
{
    /// <summary>A required key: absent or empty gives CKAN's <c>{"key": ["Missing value"]}</c>.</summary>
    public static string Require(JsonObject data, string key) =>
        String(data, key) is { Length: > 0 } s ? s : throw ValidationException.For(key, Validators.MissingValue);

    public static string? String(JsonObject data, string key) => data[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => throw ValidationException.For(key, "Must be a string"),
    };

    public static bool Bool(JsonObject data, string key, bool fallback)
    {
        var field = new FieldContext { Key = key, Value = data[key]?.DeepClone(), Missing = !data.ContainsKey(key) };
        if (field.Missing || field.Value is null) return fallback;
        Validators.BooleanValue(field);
        if (field.Errors.Count > 0) throw ValidationException.For(key, field.Errors[0]);
        return field.Value!.GetValue<bool>();
    }

    public static int Int(JsonObject data, string key, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var field = new FieldContext { Key = key, Value = data[key]?.DeepClone(), Missing = !data.ContainsKey(key) };
        if (field.Missing || field.Value is null || Validators.AsString(field.Value) is "") return fallback;
        Validators.Int(field);
        if (field.Errors.Count > 0) throw ValidationException.For(key, field.Errors[0]);
        var n = field.Value!.GetValue<long>();
        if (n < min) throw ValidationException.For(key, min == 0 ? "Must be a natural number" : $"Must be at least {min}");
        return (int)Math.Min(n, max);
    }

    /// <summary>A list given as a JSON list, a JSON-encoded string or a comma-separated string.</summary>
    public static List<string>? StringList(JsonObject data, string key)
    {
        switch (data[key])
        {
            case null: return null;
            case JsonArray a: return a.Select(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : x?.ToJsonString() ?? "").ToList();
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>().Trim();
                if (s.StartsWith('['))
                {
                    try { return JsonNode.Parse(s) is JsonArray parsed ? parsed.Select(x => x?.GetValue<string>() ?? "").ToList() : null; }
                    catch (Exception e) when (e is JsonException or InvalidOperationException) { throw ValidationException.For(key, "Must be a list of strings"); }
                }
                return s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            default: throw ValidationException.For(key, "Must be a list of strings");
        }
    }
}
