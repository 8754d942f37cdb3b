using Catalog.Core;
using Catalog.Core.Store;
using Catalog.Sync.Targets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Sync.Jobs;

/// <summary>
/// Creates a job for each target whose cron schedule had an occurrence since its last job was created (or, never
/// run, within the last hour). Every node looks; the occurrence is claimed in the same transaction as the job's
/// insert (<see cref="ScheduleClaims"/>), so two nodes looking at once create one job.
/// </summary>
public sealed class SyncSchedule(IServiceScopeFactory scopes, SyncTargets targets, TimeProvider clock)
{
    public static string ClaimName(string target) => $"sync:{target}";

    /// <summary>Returns how many jobs this node created.</summary>
    public async Task<int> CreateDueJobsAsync(CancellationToken ct)
    {
        var now = Timestamps.Truncate(clock.GetUtcNow().UtcDateTime);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var created = 0;
        foreach (var target in targets.All)
        {
            if (target.Cron is not { } cron) continue;
            if (await DueAsync(db, target.Name, cron, now, ct) is not { } due) continue;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!await ScheduleClaims.TryClaimAsync(db, ClaimName(target.Name), due, now, ct)) continue;
            // The claim waited for any node deciding on this target; look again at what it committed.
            if (await DueAsync(db, target.Name, cron, now, ct) is null) continue;
            db.SyncJobs.Add(new SyncJob { Id = Guid.NewGuid().ToString(), Target = target.Name, Created = now });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            created++;
        }
        return created;
    }

    /// <summary>The occurrence due (the first after the last job's creation), or null when none is or a job is open.</summary>
    private static async Task<DateTime?> DueAsync(CatalogDbContext db, string target, Cronos.CronExpression cron, DateTime now, CancellationToken ct)
    {
        // Two aggregates rather than the target's whole job history.
        var jobs = db.SyncJobs.Where(j => j.Target == target);
        if (await jobs.AnyAsync(j => j.Status == SyncJobStatus.New || j.Status == SyncJobStatus.Running, ct)) return null;
        var since = await jobs.MaxAsync(j => (DateTime?)j.Created, ct) ?? now.AddHours(-1);
        if (cron.GetNextOccurrence(DateTime.SpecifyKind(since, DateTimeKind.Utc)) is not { } next || next > now) return null;
        return Timestamps.Truncate(next);
    }
}
