using System.Text.Json.Nodes;

namespace Catalog.Staff;

/// <summary>An action's validation errors as messages per field, in Japanese where CKAN's message is a known one.</summary>
public static class FieldErrors
{
    private static readonly Dictionary<string, string> Japanese = new(StringComparer.Ordinal)
    {
        ["Missing value"] = "入力してください。",
        ["That URL is already in use."] = "この URL 名はすでに使われています。",
        ["Must be at least 2 characters long"] = "2 文字以上で入力してください。",
        ["Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"] = "半角英小文字・数字と「-」「_」だけで入力してください。",
        ["Organization does not exist"] = "組織がありません。",
        ["An organization must be provided"] = "組織を選んでください。",
    };

    public static Dictionary<string, List<string>> From(JsonObject errors)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (field, value) in errors)
        {
            var list = result[field] = [];
            Collect(value, list);
        }
        return result;
    }

    public static string Text(JsonObject errors) =>
        string.Join(" ", From(errors).Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}"));

    private static void Collect(JsonNode? node, List<string> into)
    {
        switch (node)
        {
            case JsonArray a: foreach (var item in a) Collect(item, into); break;
            case JsonObject o: foreach (var (k, v) in o) { var inner = new List<string>(); Collect(v, inner); into.AddRange(inner.Select(m => $"{k}: {m}")); } break;
            case JsonValue v when v.ToString() is { Length: > 0 } s:
                into.Add(Japanese.TryGetValue(s, out var ja) ? $"{ja} ({s})" : s); break;
        }
    }
}
