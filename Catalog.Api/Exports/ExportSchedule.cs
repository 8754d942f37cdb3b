using Catalog.Core.Store;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Exports;

/// <summary>
/// Runs the export on <c>Catalog:Exports:Schedule</c> (UTC); idle when it is MANUAL. Every node wakes for each
/// occurrence, and the one that claims it in the store (<see cref="ScheduleClaims"/>) writes the bundle, so the
/// occurrence runs once across nodes and, with a node gone, the others go on taking the next ones.
/// </summary>
public sealed class ExportSchedule(ExportWriter writer, IServiceScopeFactory scopes, IOptions<ExportOptions> options,
    TimeProvider clock, ILogger<ExportSchedule> logger) : BackgroundService
{
    public const string ClaimName = "export";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Cron is not { } cron) return;
        var last = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            // From the later of now and the last occurrence: a timer that fires a little early must not bring the same one back.
            var from = DateTime.SpecifyKind(now > last ? now : last, DateTimeKind.Utc);
            if (cron.GetNextOccurrence(from, TimeZoneInfo.Utc) is not { } next) return;
            var wait = next - now;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, stoppingToken);
            last = next;
            try
            {
                if (!await ClaimAsync(next, stoppingToken)) continue;
                logger.LogInformation("Scheduled export {Occurrence:o} claimed by this node", next);
                await writer.RunAsync(ct: stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The previous bundle stays in place (files are replaced only when complete); the next run tries again.
                logger.LogError(e, "Scheduled export failed");
            }
        }
    }

    private async Task<bool> ClaimAsync(DateTime occurrence, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        return await ScheduleClaims.TryClaimAsync(db, ClaimName, occurrence, clock.GetUtcNow().UtcDateTime, ct);
    }
}
