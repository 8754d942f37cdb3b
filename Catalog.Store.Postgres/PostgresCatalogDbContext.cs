using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Catalog.Store.Postgres;

/// <summary>
/// The catalog in PostgreSQL, shared by several nodes. The model is the core's, made to behave as it does on SQLite
/// where the actions rely on it: text compares and sorts byte by byte, and times are UTC.
/// </summary>
public sealed class PostgresCatalogDbContext(DbContextOptions<PostgresCatalogDbContext> options) : CatalogDbContext(options)
{
    private static readonly ValueConverter<DateTime, DateTime> Utc =
        new(v => DateTime.SpecifyKind(v, DateTimeKind.Utc), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    /// <summary>
    /// Migrates under one session-level advisory lock: nodes starting together on a new database would otherwise each
    /// apply the same migrations (the second fails on "relation already exists"); the others wait, then find none left.
    /// </summary>
    public override async Task PrepareAsync(CancellationToken ct = default)
    {
        await Database.OpenConnectionAsync(ct);
        try
        {
            await Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(hashtext('catalog.migrate'))", ct);
            try
            {
                await Database.MigrateAsync(ct);
            }
            finally
            {
                await Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(hashtext('catalog.migrate'))", CancellationToken.None);
            }
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        foreach (var entity in b.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                // SQLite's default: equality is case-sensitive and ids page in byte order (PackageBulkReader, names),
                // whatever the database's locale.
                if (property.ClrType == typeof(string)) property.SetCollation("C");
                // Stored times are UTC; values read back from SQLite (no kind) are written here unchanged.
                if (property.ClrType == typeof(DateTime) || property.ClrType == typeof(DateTime?)) property.SetValueConverter(Utc);
            }
        }
    }
}
