using System.Diagnostics;
using System.Net;
using Catalog.Harvester.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Catalog.Tests.Harvest;

/// <summary>The per-host politeness of a job, against a real server counting the requests it is serving at once.</summary>
public sealed class HostThrottleTests
{
    private static HarvestFetcher Fetcher() => new(new Clients(HarvestFetcher.CreateHandler(allowPrivate: true)),
        new HarvestHttpOptions { RetryDelay = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(30) });

    [Test]
    public async Task No_more_requests_reach_a_host_at_once_than_max_concurrency()
    {
        var now = 0;
        var most = 0;
        await using var site = await TestSite.StartAsync(IPAddress.Loopback, app => app.MapGet("/f/{n}.csv", async (HttpContext c) =>
        {
            var at = Interlocked.Increment(ref now);
            int seen;
            while (at > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, at, seen) != seen) { }
            await Task.Delay(150);
            Interlocked.Decrement(ref now);
            return Results.Text("a,b\n1,2\n", "text/csv");
        }));
        var fetcher = Fetcher();
        using var throttle = new HostThrottle(maxConcurrency: 3, requestsPerSecond: 0);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(async n =>
        {
            using var f = await fetcher.FetchAsync(new Uri($"{site.BaseUrl}/f/{n}.csv"), allowPrivate: true, maxBytes: 1000, throttle: throttle);
            Assert.That(f.Size, Is.EqualTo(8));
        }));

        Assert.That(most, Is.EqualTo(3), "twelve fetches at once, three at a time");
    }

    [Test]
    public async Task Requests_to_a_host_are_spread_to_requests_per_second()
    {
        var starts = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var clock = Stopwatch.StartNew();
        await using var site = await TestSite.StartAsync(IPAddress.Loopback, app => app.MapGet("/f/{n}.csv", () =>
        {
            starts.Enqueue(clock.ElapsedMilliseconds);
            return Results.Text("a,b\n1,2\n", "text/csv");
        }));
        var fetcher = Fetcher();
        using var throttle = new HostThrottle(maxConcurrency: 8, requestsPerSecond: 5);

        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(async n =>
        {
            using var f = await fetcher.FetchAsync(new Uri($"{site.BaseUrl}/f/{n}.csv"), allowPrivate: true, maxBytes: 1000, throttle: throttle);
        }));

        // Six requests at five a second, the first at once: the last starts no sooner than a second after the first.
        Assert.That(starts, Has.Count.EqualTo(6));
        Assert.That(starts.Max() - starts.Min(), Is.GreaterThanOrEqualTo(900), string.Join(", ", starts));
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)));
    }

    [Test]
    public void A_config_takes_max_concurrency_and_requests_per_second_and_refuses_what_is_out_of_range()
    {
        var config = Catalog.Harvester.Sources.HarvestConfig.Parse("""{"max_concurrency": 6, "requests_per_second": 2.5}""");
        Assert.That(config.MaxConcurrency, Is.EqualTo(6));
        Assert.That(config.RequestsPerSecond, Is.EqualTo(2.5));
        var defaults = Catalog.Harvester.Sources.HarvestConfig.Parse(null);
        Assert.That(defaults.MaxConcurrency, Is.EqualTo(4));
        Assert.That(defaults.RequestsPerSecond, Is.EqualTo(10));
        Assert.That(Catalog.Harvester.Sources.HarvestConfig.Problems("""{"max_concurrency": 0}"""), Is.Not.Empty);
        Assert.That(Catalog.Harvester.Sources.HarvestConfig.Problems("""{"requests_per_second": -1}"""), Is.Not.Empty);
    }

    private sealed class Clients(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
