using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Catalog.Core.Domain;

/// <summary>
/// JSON as Python's <c>json.dumps(obj, indent=2, sort_keys=True)</c> lays it out (what CKAN's activity_diff compares):
/// keys sorted by code point, two-space indents, ", " inside nothing, ": " after keys, empty containers as {} and [].
/// Unlike Python's default, non-ASCII text is kept as written, so a diff of Japanese titles stays readable.
/// </summary>
public static class PrettyJson
{
    private static readonly JsonSerializerOptions Strings = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode? node)
    {
        var sb = new StringBuilder();
        Append(sb, node, 0);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o when o.Count == 0:
                sb.Append("{}");
                break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    sb.Append(first ? "\n" : ",\n").Append(' ', (depth + 1) * 2);
                    first = false;
                    sb.Append(JsonSerializer.Serialize(key, Strings)).Append(": ");
                    Append(sb, value, depth + 1);
                }
                sb.Append('\n').Append(' ', depth * 2).Append('}');
                break;
            case JsonArray a when a.Count == 0:
                sb.Append("[]");
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    sb.Append(i == 0 ? "\n" : ",\n").Append(' ', (depth + 1) * 2);
                    Append(sb, a[i], depth + 1);
                }
                sb.Append('\n').Append(' ', depth * 2).Append(']');
                break;
            default:
                sb.Append(node.GetValueKind() == JsonValueKind.String
                    ? JsonSerializer.Serialize(node.GetValue<string>(), Strings)
                    : node.ToJsonString());
                break;
        }
    }
}
