namespace Catalog.Api.OData.Catalog;

// The catalog's OData entities: wire classes projected from the store, so the feed shows only what is listed
// here (never an EF entity, its creator, its extras or its state).

/// <summary>A dataset as the catalog feed shows it.</summary>
public sealed class DatasetWire
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Title { get; set; }
    public string? Notes { get; set; }
    public string? Author { get; set; }
    public string? Maintainer { get; set; }
    public string? LicenseId { get; set; }
    public string? Url { get; set; }
    public string? Version { get; set; }
    public bool Private { get; set; }
    public string? OrganizationId { get; set; }
    public DateTime MetadataCreated { get; set; }
    public DateTime MetadataModified { get; set; }
    public OrganizationWire? Organization { get; set; }
    public IEnumerable<ResourceWire> Resources { get; set; } = [];
    public IEnumerable<TagWire> Tags { get; set; } = [];
}

/// <summary>A resource of a dataset the caller may read.</summary>
public sealed class ResourceWire
{
    public string Id { get; set; } = "";
    public string DatasetId { get; set; } = "";
    public int Position { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string Url { get; set; } = "";
    public string? Format { get; set; }
    public string? Mimetype { get; set; }
    public long? Size { get; set; }
    public bool DatastoreActive { get; set; }
    public DateTime Created { get; set; }
    public DateTime? LastModified { get; set; }
}

/// <summary>An active organization (organizations are public in CKAN).</summary>
public sealed class OrganizationWire
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string ImageUrl { get; set; } = "";
    public DateTime Created { get; set; }
}

/// <summary>An active group (groups are public in CKAN).</summary>
public sealed class GroupWire
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string ImageUrl { get; set; } = "";
    public DateTime Created { get; set; }
}

/// <summary>A tag carried by at least one dataset the caller may read.</summary>
public sealed class TagWire
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? VocabularyId { get; set; }
}
