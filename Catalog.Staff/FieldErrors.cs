using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

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

    /// <summary>CKAN's tag messages name the tag, so they are matched by pattern (Core's TagRule writes them).</summary>
    private static readonly (Regex Pattern, string Japanese)[] JapanesePatterns =
    [
        (new Regex("^Tag \"(?<tag>.*)\" must be alphanumeric characters or symbols: -_\\.$", RegexOptions.Singleline),
            "タグ「{0}」には使えない文字があります。BODIK（CKAN）が受け付けるのは文字・数字・空白・「-」「_」「.」だけです（「・」「／」「（）」、全角空白などは使えません）。"),
        (new Regex("^Tag \"(?<tag>.*)\" length is less than minimum 2$", RegexOptions.Singleline),
            "タグ「{0}」は短すぎます。BODIK（CKAN）では 2 文字以上が必要です。"),
        (new Regex("^Tag \"(?<tag>.*)\" length is more than maximum 100$", RegexOptions.Singleline),
            "タグ「{0}」は長すぎます。BODIK（CKAN）では 100 文字までです。"),
    ];

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
                into.Add(ToJapanese(s) is { } ja ? $"{ja} ({s})" : s); break;
        }
    }

    private static string? ToJapanese(string message)
    {
        if (Japanese.TryGetValue(message, out var ja)) return ja;
        foreach (var (pattern, text) in JapanesePatterns)
            if (pattern.Match(message) is { Success: true } m) return string.Format(CultureInfo.InvariantCulture, text, m.Groups["tag"].Value);
        return null;
    }
}
