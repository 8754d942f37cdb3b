namespace Catalog.Core.Store;

public static class StoreConnection
{
    /// <summary>Brings the schema up to date with the provider's own migrations and settings.</summary>
    public static Task MigrateAsync(CatalogDbContext db, CancellationToken ct = default) => db.PrepareAsync(ct);
}
