using Microsoft.Extensions.Options;

namespace Catalog.Api.Exports;

/// <summary>Runs the export on <c>Catalog:Exports:Schedule</c> (UTC); idle when it is MANUAL.</summary>
public sealed class ExportSchedule(ExportWriter writer, IOptions<ExportOptions> options, TimeProvider clock,
    ILogger<ExportSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Cron is not { } cron) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            if (cron.GetNextOccurrence(now, TimeZoneInfo.Utc) is not { } next) return;
            await Task.Delay(next - now, clock, stoppingToken);
            try
            {
                await writer.RunAsync(ct: stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The previous bundle stays in place (files are replaced only when complete); the next run tries again.
                logger.LogError(e, "Scheduled export failed");
            }
        }
    }
}
