using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Catalog.Harvester.Fetching;

/// <summary>
/// Politeness per host for one job: at most <c>max_concurrency</c> requests to a host at once and, when
/// <c>requests_per_second</c> is set, no more than that many started per second (a token bucket that queues).
/// A permit is held for a whole fetch, its retries and body included, so a host answering 429 is not asked in parallel.
/// </summary>
public sealed class HostThrottle(int maxConcurrency, double? requestsPerSecond) : IDisposable
{
    private readonly ConcurrentDictionary<string, Host> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>No limit at all: for fetches outside a job (and tests of the fetcher alone).</summary>
    public static HostThrottle None() => new(int.MaxValue, null);

    public int MaxConcurrency => maxConcurrency;

    public async ValueTask<IDisposable> EnterAsync(Uri url, CancellationToken ct)
    {
        var host = _hosts.GetOrAdd(url.Authority, _ => new Host(maxConcurrency, requestsPerSecond));
        if (host.Slots is { } slots) await slots.WaitAsync(ct);
        try
        {
            if (host.Rate is { } rate)
            {
                using var lease = await rate.AcquireAsync(1, ct);
                // The queue is unbounded, so a lease is refused only when the limiter is disposed (the job ended).
                if (!lease.IsAcquired) throw new OperationCanceledException("The job's rate limiter is closed");
            }
        }
        catch
        {
            host.Slots?.Release();
            throw;
        }
        return new Permit(host.Slots);
    }

    public void Dispose()
    {
        foreach (var host in _hosts.Values)
        {
            host.Rate?.Dispose();
            host.Slots?.Dispose();
        }
    }

    private sealed class Host
    {
        public SemaphoreSlim? Slots { get; }
        public RateLimiter? Rate { get; }

        public Host(int maxConcurrency, double? requestsPerSecond)
        {
            if (maxConcurrency < int.MaxValue) Slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
            if (requestsPerSecond is > 0 and var rps)
                Rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    // One token per interval and a bucket of one: requests are spread evenly, never a burst.
                    TokenLimit = 1,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1 / rps),
                    QueueLimit = int.MaxValue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    AutoReplenishment = true,
                });
        }
    }

    private sealed class Permit(SemaphoreSlim? slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots?.Release();
        }
    }
}
