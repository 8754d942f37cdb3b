namespace Catalog.Core.Domain;

/// <summary>
/// Told once a write that removed resources has committed (resource_delete, dataset_purge): whatever was kept
/// beside a resource outside the catalog's own tables (its DataStore rows) goes with it.
/// </summary>
public interface IResourceRemovedListener
{
    Task RemovedAsync(IReadOnlyList<string> resourceIds, CancellationToken ct);
}
