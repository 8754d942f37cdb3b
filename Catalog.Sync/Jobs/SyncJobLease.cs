using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catalog.Sync.Jobs;

/// <summary>
/// A runner's hold on a sync job, as <c>HarvestJobLease</c> holds harvest jobs: New → Running as attempt 1, or a
/// Running job whose runner stopped renewing its lease → the next attempt, the attempt number being the holder's
/// token. A resumed run pushes again what the lost one did not finish (each dataset's pushed fingerprint makes what
/// it did finish unchanged).
/// </summary>
public sealed class SyncJobLease(IServiceScopeFactory scopes, IOptions<JobOptions> options, TimeProvider clock)
{
    public TimeSpan Lease => options.Value.Lease;
    public int MaxAttempts => options.Value.MaxAttempts;

    /// <summary>The attempt this runner now holds, or null when the job is not New nor abandoned (another runner has it).</summary>
    public async Task<int?> ClaimAsync(string jobId, CancellationToken ct)
    {
        var now = Now();
        var until = now + Lease;
        if (await WithDb(db => db.SyncJobs.Where(j => j.Id == jobId && j.Status == SyncJobStatus.New)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, SyncJobStatus.Running)
                    .SetProperty(j => j.Started, now).SetProperty(j => j.LeaseUntil, until).SetProperty(j => j.Attempts, 1), ct)) == 1)
            return 1;
        var max = MaxAttempts;
        var previous = await WithDb(db => db.SyncJobs
            .Where(j => j.Id == jobId && j.Status == SyncJobStatus.Running && (j.LeaseUntil == null || j.LeaseUntil < now) && j.Attempts < max)
            .Select(j => (int?)j.Attempts).FirstOrDefaultAsync(ct));
        if (previous is not { } attempts) return null;
        var taken = await WithDb(db => db.SyncJobs
            .Where(j => j.Id == jobId && j.Status == SyncJobStatus.Running && j.Attempts == attempts && (j.LeaseUntil == null || j.LeaseUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Attempts, attempts + 1).SetProperty(j => j.LeaseUntil, until), ct));
        return taken == 1 ? attempts + 1 : null;
    }

    /// <summary>Extends the lease; false when the job has passed to another attempt (this runner lost it).</summary>
    public async Task<bool> RenewAsync(string jobId, int attempt, CancellationToken ct)
    {
        var until = Now() + Lease;
        return await WithDb(db => db.SyncJobs.Where(j => j.Id == jobId && j.Attempts == attempt)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.LeaseUntil, until), ct)) == 1;
    }

    /// <summary>Lets the job go at once (this node stops): the next node to look resumes it as its next attempt.</summary>
    public Task ReleaseAsync(string jobId, int attempt) =>
        WithDb(db => db.SyncJobs.Where(j => j.Id == jobId && j.Attempts == attempt && j.Status == SyncJobStatus.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.LeaseUntil, (DateTime?)null), CancellationToken.None));

    /// <summary>The next job to take: the oldest New one, else the oldest whose runner stopped renewing it and that has attempts left.</summary>
    public async Task<string?> NextAsync(CancellationToken ct)
    {
        var now = Now();
        var max = MaxAttempts;
        return await WithDb(async db =>
            await db.SyncJobs.Where(j => j.Status == SyncJobStatus.New).OrderBy(j => j.Created).Select(j => j.Id).FirstOrDefaultAsync(ct)
            ?? await db.SyncJobs.Where(j => j.Status == SyncJobStatus.Running && (j.LeaseUntil == null || j.LeaseUntil < now) && j.Attempts < max)
                .OrderBy(j => j.Created).Select(j => j.Id).FirstOrDefaultAsync(ct));
    }

    /// <summary>
    /// Running jobs whose runner stopped renewing the lease in each of their attempts are finished with an error, so
    /// a job that brings its node down every time ends instead of going round the nodes.
    /// </summary>
    public async Task<int> FailExhaustedAsync(CancellationToken ct)
    {
        var now = Now();
        var max = MaxAttempts;
        return await WithDb(async db =>
        {
            var stale = await db.SyncJobs
                .Where(j => j.Status == SyncJobStatus.Running && (j.LeaseUntil == null || j.LeaseUntil < now) && j.Attempts >= max).ToListAsync(ct);
            foreach (var j in stale)
            {
                j.Status = SyncJobStatus.Finished;
                j.Finished = now;
                j.LeaseUntil = null;
                j.Error = $"Interrupted: the catalog stopped during each of the job's {j.Attempts} attempts; it is not tried again";
            }
            await db.SaveChangesAsync(ct);
            return stale.Count;
        });
    }

    private DateTime Now() => Catalog.Core.Timestamps.Truncate(clock.GetUtcNow().UtcDateTime);

    private async Task<T> WithDb<T>(Func<CatalogDbContext, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }
}
