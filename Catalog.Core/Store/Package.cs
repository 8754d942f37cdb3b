using Catalog.Core.Domain;

namespace Catalog.Core.Store;

/// <summary>A dataset ("package" in CKAN's vocabulary).</summary>
public sealed class Package : INamedEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? Title { get; set; }
    public string? Notes { get; set; }
    public string? Author { get; set; }
    public string? AuthorEmail { get; set; }
    public string? Maintainer { get; set; }
    public string? MaintainerEmail { get; set; }
    public string? LicenseId { get; set; }
    public string? Url { get; set; }
    public string? Version { get; set; }
    public string State { get; set; } = ObjectState.Active;
    public bool Private { get; set; }
    public string Type { get; set; } = "dataset";
    public string? OwnerOrgId { get; set; }
    public Group? OwnerOrg { get; set; }
    public string? CreatorUserId { get; set; }
    public DateTime MetadataCreated { get; set; }
    public DateTime MetadataModified { get; set; }

    public List<Resource> Resources { get; set; } = [];
    public List<PackageExtra> Extras { get; set; } = [];
    public List<PackageTag> Tags { get; set; } = [];
}

public sealed class PackageExtra : IExtra
{
    public required string PackageId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

/// <summary>The lifecycle states CKAN uses for every entity.</summary>
public static class ObjectState
{
    public const string Active = "active";
    public const string Deleted = "deleted";
    public const string Draft = "draft";
}
