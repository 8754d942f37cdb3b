using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

/// <summary>
/// A way of showing a resource (CKAN's resource_view): a table, an image, a map. The view type's own settings
/// (image_url, latitude_field …) are kept together as JSON, as CKAN keeps them in its <c>config</c> column.
/// </summary>
public sealed class ResourceView
{
    public required string Id { get; set; }
    public required string ResourceId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public required string ViewType { get; set; }
    /// <summary>Position among the resource's views, from 0.</summary>
    public int Order { get; set; }
    public string ConfigJson { get; set; } = "{}";
}

internal static class ResourceViewModel
{
    public static void Configure(ModelBuilder b) => b.Entity<ResourceView>(e =>
    {
        e.ToTable("resource_view");
        // A purged resource takes its views with it; a deleted one keeps them in the store, as CKAN's do, but
        // resource_delete removes them itself.
        e.HasOne<Resource>().WithMany().HasForeignKey(v => v.ResourceId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(v => new { v.ResourceId, v.Order });
    });
}
