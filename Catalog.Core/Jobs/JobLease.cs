using System.Linq.Expressions;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catalog.Core.Jobs;

/// <summary>
/// A runner's hold on a job. A job is taken in one conditional update: New → Running as attempt 1, or, when the
/// runner holding it stopped renewing its lease (its node died), Running → Running as the next attempt. The attempt
/// number is the holder's token: renewals and the job's end are written only while it is still the job's, so a
/// runner that lost its job (a pause longer than the lease) cannot overwrite the one that resumed it.
/// </summary>
/// <param name="started">The column set when the first attempt starts (the entities name it differently).</param>
/// <param name="kind">What the job is called in log lines ("harvest job").</param>
public sealed class JobLease<TJob>(
    IServiceScopeFactory scopes, IOptions<JobOptions> options, TimeProvider clock,
    Expression<Func<TJob, DateTime?>> started, string kind)
    where TJob : class, ILeasedJob
{
    public TimeSpan Lease => options.Value.Lease;
    public int MaxAttempts => options.Value.MaxAttempts;

    /// <summary>The attempt this runner now holds, or null when the job is not New nor abandoned (another runner has it).</summary>
    public async Task<int?> ClaimAsync(string jobId, CancellationToken ct)
    {
        var now = Now();
        var until = now + Lease;
        if (await scopes.WithDbAsync(db => db.Set<TJob>().Where(j => j.Id == jobId && j.Status == JobStatus.New)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, JobStatus.Running)
                    .SetProperty(started, now).SetProperty(j => j.LeaseUntil, until).SetProperty(j => j.Attempts, 1), ct)) == 1)
            return 1;
        var max = MaxAttempts;
        var previous = await scopes.WithDbAsync(db => db.Set<TJob>()
            .Where(j => j.Id == jobId && j.Status == JobStatus.Running && (j.LeaseUntil == null || j.LeaseUntil < now) && j.Attempts < max)
            .Select(j => (int?)j.Attempts).FirstOrDefaultAsync(ct));
        if (previous is not { } attempts) return null;
        var taken = await scopes.WithDbAsync(db => db.Set<TJob>()
            .Where(j => j.Id == jobId && j.Status == JobStatus.Running && j.Attempts == attempts && (j.LeaseUntil == null || j.LeaseUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Attempts, attempts + 1).SetProperty(j => j.LeaseUntil, until), ct));
        return taken == 1 ? attempts + 1 : null;
    }

    /// <summary>Extends the lease; false when the job has passed to another attempt (this runner lost it).</summary>
    public async Task<bool> RenewAsync(string jobId, int attempt, CancellationToken ct)
    {
        var until = Now() + Lease;
        return await scopes.WithDbAsync(db => db.Set<TJob>().Where(j => j.Id == jobId && j.Attempts == attempt)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.LeaseUntil, until), ct)) == 1;
    }

    /// <summary>
    /// Renews the lease at a quarter of its length until <paramref name="held"/> ends; when the job has passed to
    /// another attempt, cancels <paramref name="lost"/> so the run stops writing.
    /// </summary>
    public async Task RenewWhileHeldAsync(string jobId, int attempt, CancellationTokenSource lost, ILogger logger, CancellationToken held)
    {
        try
        {
            using var timer = new PeriodicTimer(Lease / 4, clock);
            while (await timer.WaitForNextTickAsync(held))
            {
                try
                {
                    if (await RenewAsync(jobId, attempt, held)) continue;
                    await lost.CancelAsync();
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The job goes on; if the store stays unreachable, another node may resume it, and the next renewal tells.
                    logger.LogWarning(e, "Could not renew the lease of {Kind} {Job}", kind, jobId);
                }
            }
        }
        catch (OperationCanceledException) when (held.IsCancellationRequested)
        {
        }
    }

    /// <summary>Lets the job go at once (this node stops): the next node to look resumes it as its next attempt.</summary>
    public Task ReleaseAsync(string jobId, int attempt) =>
        scopes.WithDbAsync(db => db.Set<TJob>().Where(j => j.Id == jobId && j.Attempts == attempt && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.LeaseUntil, (DateTime?)null), CancellationToken.None));

    /// <summary>The next job to take: the oldest New one, else the oldest whose runner stopped renewing it and that has attempts left.</summary>
    public async Task<string?> NextAsync(CancellationToken ct)
    {
        var now = Now();
        var max = MaxAttempts;
        return await scopes.WithDbAsync(async db =>
            await db.Set<TJob>().Where(j => j.Status == JobStatus.New).OrderBy(j => j.Created).Select(j => j.Id).FirstOrDefaultAsync(ct)
            ?? await db.Set<TJob>().Where(j => j.Status == JobStatus.Running && (j.LeaseUntil == null || j.LeaseUntil < now) && j.Attempts < max)
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
        return await scopes.WithDbAsync(async db =>
        {
            var stale = await db.Set<TJob>()
                .Where(j => j.Status == JobStatus.Running && (j.LeaseUntil == null || j.LeaseUntil < now) && j.Attempts >= max).ToListAsync(ct);
            foreach (var j in stale)
                j.FinishInterrupted(now, $"Interrupted: the catalog stopped during each of the job's {j.Attempts} attempts; it is not tried again");
            await db.SaveChangesAsync(ct);
            return stale.Count;
        });
    }

    private DateTime Now() => Timestamps.Truncate(clock.GetUtcNow().UtcDateTime);
}
