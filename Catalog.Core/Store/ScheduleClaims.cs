using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

/// <summary>
/// Takes one occurrence of a schedule for this node, the way jobs are taken: one conditional update of a row
/// (<c>Occurrence &lt; T → T</c>), so of several nodes waking for T the one whose update changed the row acts on it
/// and the others see no row changed. Inside a caller's transaction the row stays locked until it ends, so a
/// decision made after the claim sees what the previous claimer committed.
/// </summary>
public static class ScheduleClaims
{
    /// <summary>Who claimed, for operators reading the row.</summary>
    public static readonly string Node = $"{Environment.MachineName}:{Environment.ProcessId}";

    public static async Task<bool> TryClaimAsync(CatalogDbContext db, string name, DateTime occurrence, DateTime now, CancellationToken ct)
    {
        // The same statement on SQLite and PostgreSQL; a row another node inserts at once is left as it is.
        await db.Database.ExecuteSqlAsync($"""INSERT INTO schedule_claim ("Name") VALUES ({name}) ON CONFLICT ("Name") DO NOTHING""", ct);
        var at = Timestamps.Truncate(occurrence);
        return await db.ScheduleClaims.Where(c => c.Name == name && (c.Occurrence == null || c.Occurrence < at))
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Occurrence, at).SetProperty(c => c.ClaimedAt, Timestamps.Truncate(now))
                .SetProperty(c => c.ClaimedBy, Node), ct) == 1;
    }
}
