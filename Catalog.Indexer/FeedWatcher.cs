using Catalog.Core.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Catalog.Indexer;

public sealed record FeedWatcherOptions(TimeSpan PollInterval);

/// <summary>
/// On a store shared by several nodes, applies the changes the other nodes commit: woken by the store's notifications,
/// and every <see cref="FeedWatcherOptions.PollInterval"/> in case one was lost (a dropped connection, a change made
/// before listening began). Does nothing on a store that offers no notifications: only this process writes to it.
/// </summary>
public sealed class FeedWatcher(IndexFollower follower, FeedWatcherOptions options, ILogger<FeedWatcher> logger,
    IChangeNotifications? notifications = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (notifications is null) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await notifications.WaitAsync(options.PollInterval, stoppingToken);
                await follower.CommittedAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The follower reports and retries its own failures; this only keeps the watch going.
                logger.LogWarning(e, "Following the shared change feed failed; trying again");
                try { await Task.Delay(options.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
