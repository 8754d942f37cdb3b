using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

public static class StoreConnection
{
    public static string SqliteConnectionString(CatalogOptions o)
    {
        if (o.Database.ConnectionString is { Length: > 0 } given) return given;
        var dataDir = Path.GetFullPath(o.DataDir);
        Directory.CreateDirectory(dataDir);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "catalog.db"),
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    /// <summary>Brings the schema up to date and turns on write-ahead logging (readers never wait for the writer).</summary>
    public static async Task MigrateAsync(CatalogDbContext db, CancellationToken ct = default)
    {
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}
