using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Catalog.Store.Postgres;

/// <summary>
/// Makes the change feed's <c>Seq</c> follow commit order, so a follower reading <c>Seq &gt; applied</c> never passes a
/// change that commits late. PostgreSQL hands out identity values when rows are inserted, not when they commit: a
/// transaction holding <c>Seq</c> 10 may commit after the one holding 11, and a follower that already read 11 would
/// skip 10 for good. Before a transaction first appends to the feed it takes one transaction-scoped advisory lock,
/// released by its commit or rollback; appends, and the commits behind them, therefore happen one after another.
/// Only the end of a write waits (the dispatcher saves once, just before it commits); readers never do.
/// The same statement NOTIFYs the other nodes, delivered when the transaction commits.
/// </summary>
public sealed class FeedOrderInterceptor : SaveChangesInterceptor
{
    public const string LockSql =
        $"SELECT pg_advisory_xact_lock(hashtext('catalog.activity')), pg_notify('{PostgresChangeNotifications.Channel}', '')";

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db && AppendsToFeed(db))
            await db.Database.ExecuteSqlRawAsync(LockSql, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db && AppendsToFeed(db))
            db.Database.ExecuteSqlRaw(LockSql);
        return result;
    }

    private static bool AppendsToFeed(DbContext db)
    {
        if (!db.ChangeTracker.Entries<Activity>().Any(e => e.State == EntityState.Added)) return false;
        // Outside a transaction the lock would be released before the insert it should guard.
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("The change feed is appended to inside a transaction only.");
        return true;
    }
}
