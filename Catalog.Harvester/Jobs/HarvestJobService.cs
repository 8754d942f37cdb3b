using Catalog.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
/// is due (<see cref="HarvestSchedule"/>: once across nodes), resumes jobs whose runner (on any node) stopped renewing
/// its lease, and finishes those that lost their runner in every attempt. A stop of this node hands its job on.
/// </summary>
public sealed class HarvestJobService(IServiceScopeFactory scopes, HarvestRunner runner, HarvestQueue queue, TimeProvider clock,
    IOptions<JobOptions> options, ILogger<HarvestJobService> logger) : BackgroundService
{
    private readonly HarvestSchedule _schedule = new(scopes, clock);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _schedule.CreateDueJobsAsync(stoppingToken);
                if (await runner.Leases.FailExhaustedAsync(stoppingToken) is > 0 and var lost)
                    logger.LogWarning("{Count} harvest jobs lost their runner in every attempt and are marked finished with an error", lost);
                while (await runner.Leases.NextAsync(stoppingToken) is { } jobId)
                {
                    logger.LogInformation("Harvest job {Job} starts", jobId);
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
                logger.LogError(e, "The harvest job service failed; trying again shortly");
                try { await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken); } catch (OperationCanceledException) { return; }
            }
        }
    }
}
