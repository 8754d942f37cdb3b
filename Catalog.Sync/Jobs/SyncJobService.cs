using Catalog.Core.Store;
using Catalog.Sync.Targets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
/// Creates jobs for targets whose cron schedule is due (<see cref="SyncSchedule"/>: once across nodes), runs New
/// jobs one after another and resumes those whose runner (on any node) stopped renewing its lease, both claimed
/// with a lease so a job runs on one node at a time, and finishes jobs that lost their runner in every attempt.
/// </summary>
public sealed class SyncJobService(IServiceScopeFactory scopes, SyncRunner runner, SyncTargets targets, SyncQueue queue,
    TimeProvider clock, IOptions<JobOptions> options, ILogger<SyncJobService> logger) : BackgroundService
{
    private readonly SyncSchedule _schedule = new(scopes, targets, clock);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await runner.Leases.FailExhaustedAsync(stoppingToken) is > 0 and var lost)
                    logger.LogWarning("{Count} sync jobs lost their runner in every attempt and are marked finished with an error", lost);
                await _schedule.CreateDueJobsAsync(stoppingToken);
                while (await runner.Leases.NextAsync(stoppingToken) is { } jobId)
                {
                    logger.LogInformation("Sync job {Job} starts", jobId);
                    await runner.RunAsync(jobId, ct: stoppingToken, releaseOnStop: true);
                }
                await queue.WaitAsync(options.Value.PollInterval, stoppingToken);
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
}
