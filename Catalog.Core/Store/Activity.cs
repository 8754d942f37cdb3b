namespace Catalog.Core.Store;

/// <summary>
/// One change to a dataset, organization or group. <see cref="Seq"/> is the catalog's monotonic change feed:
/// the search index follows it, and CKAN harvesters read it as activity streams.
/// </summary>
public sealed class Activity
{
    public long Seq { get; set; }
    public required string Id { get; set; }
    public DateTime Timestamp { get; set; }
    public string? UserId { get; set; }
    public required string ObjectId { get; set; }
    /// <summary>"package", "organization" or "group".</summary>
    public required string ObjectType { get; set; }
    public required string ActivityType { get; set; }
    /// <summary>JSON snapshot of the object after the change.</summary>
    public string Data { get; set; } = "{}";
}
