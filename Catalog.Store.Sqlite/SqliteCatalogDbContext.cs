using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Store.Sqlite;

/// <summary>
/// The catalog in one SQLite file. Its migrations keep the ids they had when they lived in Catalog.Core, so databases
/// made before the providers were split still open. Write transactions begin <c>IMMEDIATE</c> (Microsoft.Data.Sqlite's
/// default), so concurrent writers queue for the one write lock and the feed's <c>Seq</c> follows commit order.
/// </summary>
public sealed class SqliteCatalogDbContext(DbContextOptions<SqliteCatalogDbContext> options) : CatalogDbContext(options)
{
    /// <summary>Write-ahead logging: readers never wait for the writer.</summary>
    public override async Task PrepareAsync(CancellationToken ct = default)
    {
        await base.PrepareAsync(ct);
        await Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}
