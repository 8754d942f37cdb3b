using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Store.Postgres;

/// <summary>
/// Copies a whole catalog (for instance a SQLite one) into an empty PostgreSQL database, table by table in the order
/// of their foreign keys, keeping every id and the change feed's <c>Seq</c>: an index built from the source follows
/// the copy as it followed the source. One transaction: the copy lands whole or not at all.
/// </summary>
public static class PostgresImport
{
    public static PostgresCatalogDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresCatalogDbContext>()
            .UseNpgsql(connectionString)
            .AddInterceptors(new FeedOrderInterceptor())
            .Options);

    /// <summary>Rows copied per table; refuses a target that already holds a catalog.</summary>
    public static async Task<IReadOnlyList<(string Table, int Rows)>> CopyAsync(CatalogDbContext source, PostgresCatalogDbContext target,
        CancellationToken ct = default)
    {
        await target.PrepareAsync(ct);
        if (await target.Users.AnyAsync(ct) || await target.Groups.AnyAsync(ct) || await target.Packages.AnyAsync(ct)
            || await target.Activities.AnyAsync(ct))
            throw new InvalidOperationException("The PostgreSQL database already holds a catalog; copy into an empty one.");

        var counts = new List<(string, int)>();
        await using var tx = await target.Database.BeginTransactionAsync(ct);
        target.ChangeTracker.AutoDetectChangesEnabled = false;
        await CopyTableAsync(source.Users, target, "user", counts, ct);
        await CopyTableAsync(source.Groups, target, "group", counts, ct);
        await CopyTableAsync(source.GroupExtras, target, "group_extra", counts, ct);
        await CopyTableAsync(source.Tags, target, "tag", counts, ct);
        await CopyTableAsync(source.Packages, target, "package", counts, ct);
        await CopyTableAsync(source.PackageExtras, target, "package_extra", counts, ct);
        await CopyTableAsync(source.PackageTags, target, "package_tag", counts, ct);
        await CopyTableAsync(source.Resources, target, "resource", counts, ct);
        await CopyTableAsync(source.Members, target, "member", counts, ct);
        await CopyTableAsync(source.ApiTokens, target, "api_token", counts, ct);
        await CopyTableAsync(source.Activities.OrderBy(a => a.Seq), target, "activity", counts, ct);
        // Explicit Seq values leave the identity where it was: the next append must come after the copied ones.
        await target.Database.ExecuteSqlRawAsync(
            """SELECT setval(pg_get_serial_sequence('"activity"', 'Seq'), GREATEST((SELECT MAX("Seq") FROM "activity"), 1))""", ct);
        await tx.CommitAsync(ct);
        return counts;
    }

    private static async Task CopyTableAsync<T>(IQueryable<T> rows, PostgresCatalogDbContext target, string table,
        List<(string, int)> counts, CancellationToken ct) where T : class
    {
        var count = 0;
        foreach (var chunk in (await rows.AsNoTracking().ToListAsync(ct)).Chunk(1000))
        {
            target.AddRange(chunk);
            await target.SaveChangesAsync(ct);
            target.ChangeTracker.Clear();
            count += chunk.Length;
        }
        counts.Add((table, count));
    }
}
