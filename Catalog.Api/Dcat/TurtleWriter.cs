using System.Text;

namespace Catalog.Api.Dcat;

/// <summary>Turtle (RDF 1.1): the prefixes, then one block per subject with its predicates joined by <c>;</c>.</summary>
public static class TurtleWriter
{
    public const string MediaType = "text/turtle";

    public static string Write(RdfGraph graph)
    {
        var sb = new StringBuilder();
        foreach (var (prefix, ns) in Vocab.Prefixes) sb.Append("@prefix ").Append(prefix).Append(": <").Append(ns).Append("> .\n");
        foreach (var subject in graph.BySubject())
        {
            sb.Append('\n').Append(Term(subject.Key));
            var first = true;
            foreach (var t in subject)
            {
                sb.Append(first ? "\n    " : " ;\n    ");
                first = false;
                sb.Append(t.Predicate == Vocab.Type ? "a" : Term(t.Predicate)).Append(' ').Append(Term(t.Object));
            }
            sb.Append(" .\n");
        }
        return sb.ToString();
    }

    private static string Term(RdfNode node) => node switch
    {
        Iri i => Vocab.Split(i.Value) is { } q ? $"{q.Prefix}:{q.Local}" : $"<{i.Value}>",
        Blank b => $"_:{b.Id}",
        Literal l => Quote(l.Value) + (l.Language is { } lang ? "@" + lang
            : l.Datatype is { } dt ? "^^" + Term(new Iri(dt)) : ""),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        return sb.Append('"').ToString();
    }
}
