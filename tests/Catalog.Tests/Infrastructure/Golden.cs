using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Catalog.Tests.Infrastructure;

/// <summary>
/// Golden-JSON comparison: volatile values (UUIDs, timestamps, the test server's address) are replaced by
/// placeholders, then the whole document must equal the file in Golden/. Set UPDATE_GOLDEN=1 to rewrite the files.
/// </summary>
public static partial class Golden
{
    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")] private static partial Regex Uuid();
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$")] private static partial Regex Timestamp();

    public static JsonNode? Normalize(JsonNode? node, string baseUrl) => node switch
    {
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Normalize(kv.Value, baseUrl)))),
        JsonArray a => new JsonArray(a.Select(x => Normalize(x, baseUrl)).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(NormalizeString(v.GetValue<string>(), baseUrl)),
        _ => node?.DeepClone(),
    };

    private static string NormalizeString(string s, string baseUrl)
    {
        if (Timestamp().IsMatch(s)) return "<timestamp>";
        return Uuid().Replace(s.Replace(baseUrl, "<site>"), "<uuid>");
    }

    public static void AssertMatches(string name, JsonNode? actual, string baseUrl, [CallerFilePath] string callerFile = "")
    {
        var normalized = Normalize(actual, baseUrl);
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var sourcePath = Path.Combine(Path.GetDirectoryName(callerFile)!, "..", "Golden", name + ".json");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(sourcePath, normalized!.ToJsonString(options) + "\n");
            Assert.Pass($"golden file {name} rewritten");
        }
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", name + ".json");
        Assert.That(File.Exists(path), Is.True, $"golden file {name}.json is missing; run the tests with UPDATE_GOLDEN=1");
        var expected = JsonNode.Parse(File.ReadAllText(path));
        Assert.That(JsonNode.DeepEquals(expected, normalized), Is.True,
            $"{name} differs from its golden file.\nActual:\n{normalized!.ToJsonString(options)}");
    }
}
