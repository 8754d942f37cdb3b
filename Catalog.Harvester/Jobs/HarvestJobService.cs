using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Catalog.Harvester.Jobs;

/// <summary>Wakes the job service when a job is created, instead of waiting for its next look.</summary>
public sealed class HarvestQueue
{
    private readonly SemaphoreSlim _signal = new(0);

    public void Wake()
    {
        if (_signal.CurrentCount == 0) _signal.Release();
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// Runs New jobs one after another (so never two of one source at once), creates jobs for sources whose frequency
/// is due, and finishes Running jobs whose runner (on any node) stopped renewing its lease.
/// </summary>
public sealed class HarvestJobService(IServiceScopeFactory scopes, HarvestRunner runner, HarvestQueue queue, TimeProvider clock,
    ILogger<HarvestJobService> logger) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var failed = await runner.FailInterruptedAsync(stoppingToken);
            if (failed > 0) logger.LogWarning("{Count} harvest jobs were interrupted by a stop and are marked finished with an error", failed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not check for interrupted harvest jobs");
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScheduleDueAsync(stoppingToken);
                if (await runner.FailInterruptedAsync(stoppingToken) is > 0 and var lost)
                    logger.LogWarning("{Count} harvest jobs lost their runner and are marked finished with an error", lost);
                while (await NextAsync(stoppingToken) is { } jobId)
                {
                    logger.LogInformation("Harvest job {Job} starts", jobId);
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
                logger.LogError(e, "The harvest job service failed; trying again shortly");
                try { await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task<string?> NextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        return await db.HarvestJobs.Where(j => j.Status == HarvestJobStatus.New).OrderBy(j => j.Created).Select(j => j.Id).FirstOrDefaultAsync(ct);
    }

    private async Task ScheduleDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var sources = await db.HarvestSources.Where(s => s.State == ObjectState.Active && s.Frequency != "MANUAL").ToListAsync(ct);
        foreach (var s in sources)
        {
            var jobs = await db.HarvestJobs.Where(j => j.SourceId == s.Id).Select(j => new { j.Status, j.Created }).ToListAsync(ct);
            if (jobs.Any(j => j.Status is HarvestJobStatus.New or HarvestJobStatus.Running)) continue;
            var last = jobs.Count == 0 ? (DateTime?)null : jobs.Max(j => j.Created);
            if (last is not null && last.Value + Interval(s.Frequency) > now) continue;
            db.HarvestJobs.Add(new HarvestJob { Id = Guid.NewGuid().ToString(), SourceId = s.Id, Created = Core.Timestamps.Truncate(now) });
        }
        await db.SaveChangesAsync(ct);
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
