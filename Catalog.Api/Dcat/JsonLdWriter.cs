using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Catalog.Api.Dcat;

/// <summary>
/// JSON-LD 1.1 in expanded form (full IRIs, no context to resolve): any JSON-LD processor reads it without a network
/// fetch, and it maps one to one onto the graph.
/// </summary>
public static class JsonLdWriter
{
    public const string MediaType = "application/ld+json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string Write(RdfGraph graph)
    {
        var nodes = new JsonArray();
        foreach (var subject in graph.BySubject())
        {
            var node = new JsonObject { ["@id"] = Id(subject.Key) };
            foreach (var t in subject)
            {
                if (t.Predicate == Vocab.Type && t.Object is Iri type)
                {
                    ((node["@type"] ??= new JsonArray()) as JsonArray)!.Add(type.Value);
                    continue;
                }
                ((node[t.Predicate.Value] ??= new JsonArray()) as JsonArray)!.Add(Value(t.Object));
            }
            nodes.Add(node);
        }
        return nodes.ToJsonString(Options);
    }

    private static string Id(RdfNode node) => node switch
    {
        Iri i => i.Value,
        Blank b => "_:" + b.Id,
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static JsonObject Value(RdfNode node) => node switch
    {
        Literal l when l.Language is { } lang => new JsonObject { ["@value"] = l.Value, ["@language"] = lang },
        Literal l when l.Datatype is { } dt => new JsonObject { ["@value"] = l.Value, ["@type"] = dt },
        Literal l => new JsonObject { ["@value"] = l.Value },
        _ => new JsonObject { ["@id"] = Id(node) },
    };
}
