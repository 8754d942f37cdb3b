namespace Catalog.Api.Dcat;

/// <summary>The DCAT serialisations of a dataset, for <c>&lt;link rel="alternate"&gt;</c> on its web page.</summary>
public static class DcatUrls
{
    public static readonly IReadOnlyList<(string Extension, string MediaType)> Formats =
    [
        ("rdf", RdfXmlWriter.MediaType), ("ttl", TurtleWriter.MediaType), ("jsonld", JsonLdWriter.MediaType),
    ];

    /// <summary>Site-relative links, one per media type (<c>.xml</c> is the same document as <c>.rdf</c>).</summary>
    public static IReadOnlyList<(string Href, string MediaType)> Alternates(string datasetName) =>
        Formats.Select(f => ($"/dataset/{Uri.EscapeDataString(datasetName)}.{f.Extension}", f.MediaType)).ToList();
}
