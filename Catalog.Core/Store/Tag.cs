namespace Catalog.Core.Store;

public sealed class Tag
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? VocabularyId { get; set; }
}

public sealed class PackageTag
{
    public required string PackageId { get; set; }
    public required string TagId { get; set; }
    public Tag? Tag { get; set; }
}
