namespace Catalog.Core.Store;

/// <summary>A file or link belonging to a dataset.</summary>
public sealed class Resource
{
    public required string Id { get; set; }
    public required string PackageId { get; set; }
    public Package? Package { get; set; }
    public int Position { get; set; }
    public string State { get; set; } = ObjectState.Active;
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string Url { get; set; } = "";
    /// <summary>null for links, "upload" for stored files.</summary>
    public string? UrlType { get; set; }
    public string? Format { get; set; }
    public string? Mimetype { get; set; }
    public string? MimetypeInner { get; set; }
    public long? Size { get; set; }
    /// <summary>Client metadata (CKAN's free-text <c>hash</c>): shown, never used to find a file.</summary>
    public string Hash { get; set; } = "";
    /// <summary>
    /// The stored upload's SHA-256 as the blob store computed it; the only name downloads use. Set by the server alone,
    /// null for links.
    /// </summary>
    public string? BlobSha256 { get; set; }
    public string? ResourceType { get; set; }
    public DateTime Created { get; set; }
    public DateTime? LastModified { get; set; }
    public DateTime? MetadataModified { get; set; }
    public string? CacheUrl { get; set; }
    public DateTime? CacheLastUpdated { get; set; }
    public bool DatastoreActive { get; set; }
    /// <summary>Client-defined keys (BODIK's <c>encoding</c> among them), kept flat on the wire.</summary>
    public string ExtrasJson { get; set; } = "{}";
}
