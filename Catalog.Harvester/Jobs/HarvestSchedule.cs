using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Harvester.Jobs;

/// <summary>
/// Creates a job for each source whose frequency is due. Every node looks; the occurrence (the last job's creation
/// plus the interval) is claimed in the same transaction as the job's insert, so two nodes looking at once create
/// one job, and a node that dies between the claim and the insert claimed nothing.
/// </summary>
public sealed class HarvestSchedule(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static string ClaimName(string sourceId) => $"harvest:{sourceId}";

    /// <summary>Returns how many jobs this node created.</summary>
    public async Task<int> CreateDueJobsAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var now = Core.Timestamps.Truncate(clock.GetUtcNow().UtcDateTime);
        var sources = await db.HarvestSources.Where(s => s.State == ObjectState.Active && s.Frequency != "MANUAL")
            .Select(s => new { s.Id, s.Frequency, s.Created }).ToListAsync(ct);
        var created = 0;
        foreach (var s in sources)
        {
            if (await DueAsync(db, s.Id, s.Frequency, s.Created, now, ct) is not { } due) continue;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!await ScheduleClaims.TryClaimAsync(db, ClaimName(s.Id), due, now, ct)) continue;
            // The claim waited for any node deciding on this source; look again at what it committed.
            if (await DueAsync(db, s.Id, s.Frequency, s.Created, now, ct) != due) continue;
            db.HarvestJobs.Add(new HarvestJob { Id = Guid.NewGuid().ToString(), SourceId = s.Id, Created = now });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            created++;
        }
        return created;
    }

    /// <summary>The occurrence due for a source (its creation when it never ran), or null when not due or a job is open.</summary>
    private static async Task<DateTime?> DueAsync(CatalogDbContext db, string sourceId, string frequency, DateTime sourceCreated,
        DateTime now, CancellationToken ct)
    {
        // Two aggregates rather than the source's whole job history, which grows by one job an hour for an hourly source.
        var jobs = db.HarvestJobs.Where(j => j.SourceId == sourceId);
        if (await jobs.AnyAsync(j => j.Status == HarvestJobStatus.New || j.Status == HarvestJobStatus.Running, ct)) return null;
        var last = await jobs.MaxAsync(j => (DateTime?)j.Created, ct);
        var due = last is null ? sourceCreated : last.Value + Interval(frequency);
        return due > now ? null : Core.Timestamps.Truncate(DateTime.SpecifyKind(due, DateTimeKind.Utc));
    }

    public static TimeSpan Interval(string frequency) => frequency switch
    {
        "HOURLY" => TimeSpan.FromHours(1),
        "DAILY" => TimeSpan.FromDays(1),
        "WEEKLY" => TimeSpan.FromDays(7),
        "MONTHLY" => TimeSpan.FromDays(30),
        _ => TimeSpan.FromDays(36500),
    };
}
