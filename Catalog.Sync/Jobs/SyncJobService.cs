using Catalog.Core;
using Catalog.Core.Store;
using Catalog.Sync.Targets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Catalog.Sync.Jobs;

/// <summary>Wakes the job service when a job is created, instead of waiting for its next look.</summary>
public sealed class SyncQueue
{
    private readonly SemaphoreSlim _signal = new(0);

    public void Wake()
    {
        if (_signal.CurrentCount == 0) _signal.Release();
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// Creates jobs for targets whose cron schedule is due, runs New jobs one after another (claimed with a lease, so a
/// job runs on one node only), and finishes Running jobs whose runner stopped renewing its lease.
/// </summary>
public sealed class SyncJobService(IServiceScopeFactory scopes, SyncRunner runner, SyncTargets targets, SyncQueue queue,
    TimeProvider clock, ILogger<SyncJobService> logger) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await runner.FailInterruptedAsync(stoppingToken) is > 0 and var lost)
                    logger.LogWarning("{Count} sync jobs lost their runner and are marked finished with an error", lost);
                await ScheduleDueAsync(stoppingToken);
                while (await NextAsync(stoppingToken) is { } jobId)
                {
                    logger.LogInformation("Sync job {Job} starts", jobId);
                    await runner.RunAsync(jobId, ct: stoppingToken);
                }
                await queue.WaitAsync(Idle, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The sync job service failed; trying again shortly");
                try { await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task<string?> NextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        return await db.SyncJobs.Where(j => j.Status == SyncJobStatus.New).OrderBy(j => j.Created).Select(j => j.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>A target is due when its schedule had an occurrence since its last job was created (or, never run, since an hour ago).</summary>
    private async Task ScheduleDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        foreach (var target in targets.All)
        {
            if (target.Cron is not { } cron) continue;
            var jobs = await db.SyncJobs.Where(j => j.Target == target.Name).Select(j => new { j.Status, j.Created }).ToListAsync(ct);
            if (jobs.Any(j => j.Status is SyncJobStatus.New or SyncJobStatus.Running)) continue;
            var since = jobs.Count == 0 ? now.AddHours(-1) : jobs.Max(j => j.Created);
            if (cron.GetNextOccurrence(DateTime.SpecifyKind(since, DateTimeKind.Utc)) is not { } next || next > now) continue;
            db.SyncJobs.Add(new SyncJob { Id = Guid.NewGuid().ToString(), Target = target.Name, Created = Timestamps.Truncate(now) });
        }
        await db.SaveChangesAsync(ct);
    }
}
