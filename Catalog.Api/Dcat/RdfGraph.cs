using System.Text;

namespace Catalog.Api.Dcat;

/// <summary>A node of an RDF graph: an IRI, a blank node or a literal.</summary>
public abstract record RdfNode;

public sealed record Iri(string Value) : RdfNode;

public sealed record Blank(string Id) : RdfNode;

/// <summary>A literal with either a language or a datatype (none: xsd:string).</summary>
public sealed record Literal : RdfNode
{
    public Literal(string value, string? language = null, string? datatype = null)
    {
        Value = XmlSafe(value);
        Language = language;
        Datatype = datatype;
    }

    public string Value { get; }
    public string? Language { get; }
    public string? Datatype { get; }

    // RDF/XML cannot carry characters XML forbids; dropping them keeps the three serialisations one graph.
    private static string XmlSafe(string s)
    {
        if (s.All(c => c is '\t' or '\n' or '\r' or >= ' ' and not ('\uFFFE' or '\uFFFF'))) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[++i]); continue; }
            if (char.IsSurrogate(c)) continue;
            if (c is '\t' or '\n' or '\r' or >= ' ' and not ('\uFFFE' or '\uFFFF')) sb.Append(c);
        }
        return sb.ToString();
    }
}

public sealed record Triple(RdfNode Subject, Iri Predicate, RdfNode Object);

/// <summary>The vocabularies the DCAT feeds use, with the prefixes every writer declares.</summary>
public static class Vocab
{
    public static readonly IReadOnlyList<(string Prefix, string Ns)> Prefixes =
    [
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ("dcat", "http://www.w3.org/ns/dcat#"),
        ("dct", "http://purl.org/dc/terms/"),
        ("foaf", "http://xmlns.com/foaf/0.1/"),
        ("vcard", "http://www.w3.org/2006/vcard/ns#"),
        ("spdx", "http://spdx.org/rdf/terms#"),
        ("adms", "http://www.w3.org/ns/adms#"),
        ("owl", "http://www.w3.org/2002/07/owl#"),
        ("cnt", "http://www.w3.org/2011/content#"),
        ("hydra", "http://www.w3.org/ns/hydra/core#"),
        ("locn", "http://www.w3.org/ns/locn#"),
        ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ];

    private static readonly Dictionary<string, string> ByPrefix = Prefixes.ToDictionary(p => p.Prefix, p => p.Ns);

    /// <summary>The IRI of a prefixed name such as <c>dcat:Dataset</c>.</summary>
    public static Iri Q(string qname)
    {
        var colon = qname.IndexOf(':');
        return new Iri(ByPrefix[qname[..colon]] + qname[(colon + 1)..]);
    }

    /// <summary>The prefixed form of an IRI when its local part is a plain XML name; null otherwise.</summary>
    public static (string Prefix, string Ns, string Local)? Split(string iri)
    {
        foreach (var (prefix, ns) in Prefixes)
        {
            if (!iri.StartsWith(ns, StringComparison.Ordinal)) continue;
            var local = iri[ns.Length..];
            if (local.Length > 0 && (char.IsAsciiLetter(local[0]) || local[0] == '_')
                && local.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                return (prefix, ns, local);
        }
        return null;
    }

    public static readonly Iri Type = Q("rdf:type");
    public const string XsdDateTime = "http://www.w3.org/2001/XMLSchema#dateTime";
    public const string XsdDate = "http://www.w3.org/2001/XMLSchema#date";
    public const string XsdInteger = "http://www.w3.org/2001/XMLSchema#integer";
    public const string XsdDecimal = "http://www.w3.org/2001/XMLSchema#decimal";
    public const string XsdNonNegativeInteger = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger";
    public const string XsdHexBinary = "http://www.w3.org/2001/XMLSchema#hexBinary";
}

/// <summary>
/// A small in-memory RDF graph: triples in insertion order, duplicates dropped, so writers emit subjects in the
/// order the mapper built them.
/// </summary>
public sealed class RdfGraph
{
    private readonly List<Triple> _triples = [];
    private readonly HashSet<Triple> _seen = [];
    private int _blanks;

    public IReadOnlyList<Triple> Triples => _triples;

    public Blank NewBlank() => new($"b{++_blanks}");

    public void Add(RdfNode subject, Iri predicate, RdfNode obj)
    {
        var t = new Triple(subject, predicate, obj);
        if (_seen.Add(t)) _triples.Add(t);
    }

    public void Add(RdfNode subject, string predicate, RdfNode obj) => Add(subject, Vocab.Q(predicate), obj);

    public void AddType(RdfNode subject, string type) => Add(subject, Vocab.Type, Vocab.Q(type));

    /// <summary>Adds a plain or language literal when the value is not blank.</summary>
    public void AddText(RdfNode subject, string predicate, string? value, string? language = null)
    {
        if (!string.IsNullOrWhiteSpace(value)) Add(subject, predicate, new Literal(value, language));
    }

    /// <summary>Subjects in first-seen order, each with its triples in insertion order.</summary>
    public IEnumerable<IGrouping<RdfNode, Triple>> BySubject() => _triples.GroupBy(t => t.Subject);
}
