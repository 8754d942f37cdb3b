using System.Text;
using System.Xml;

namespace Catalog.Api.Dcat;

/// <summary>
/// RDF/XML: one <c>rdf:Description</c> per subject, every property a prefixed element (the mapper uses only
/// predicates of <see cref="Vocab"/>), objects as <c>rdf:resource</c>, <c>rdf:nodeID</c> or text.
/// </summary>
public static class RdfXmlWriter
{
    public const string MediaType = "application/rdf+xml";
    private const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

    public static string Write(RdfGraph graph)
    {
        var sb = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false,
            // Line breaks in literals are data: entitised, never rewritten to the platform's new line.
            NewLineHandling = NewLineHandling.Entitize };
        using (var xml = XmlWriter.Create(new StringWriterUtf8(sb), settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("rdf", "RDF", Rdf);
            foreach (var (prefix, ns) in Vocab.Prefixes)
                if (prefix != "rdf") xml.WriteAttributeString("xmlns", prefix, null, ns);
            foreach (var subject in graph.BySubject())
            {
                xml.WriteStartElement("rdf", "Description", Rdf);
                WriteNodeRef(xml, subject.Key, "about");
                foreach (var t in subject)
                {
                    var q = Vocab.Split(t.Predicate.Value)
                        ?? throw new InvalidOperationException($"No prefix for predicate {t.Predicate.Value}");
                    xml.WriteStartElement(q.Prefix, q.Local, q.Ns);
                    switch (t.Object)
                    {
                        case Iri or Blank:
                            WriteNodeRef(xml, t.Object, "resource");
                            break;
                        case Literal l:
                            if (l.Language is { } lang) xml.WriteAttributeString("xml", "lang", null, lang);
                            else if (l.Datatype is { } dt) xml.WriteAttributeString("rdf", "datatype", Rdf, dt);
                            xml.WriteString(l.Value);
                            break;
                    }
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return sb.ToString();
    }

    private static void WriteNodeRef(XmlWriter xml, RdfNode node, string iriAttribute)
    {
        if (node is Blank b) xml.WriteAttributeString("rdf", "nodeID", Rdf, b.Id);
        else xml.WriteAttributeString("rdf", iriAttribute, Rdf, ((Iri)node).Value);
    }

    private sealed class StringWriterUtf8(StringBuilder sb) : StringWriter(sb)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
