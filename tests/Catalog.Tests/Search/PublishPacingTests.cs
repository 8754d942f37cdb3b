using System.Diagnostics;
using Catalog.Indexer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Search;

/// <summary>
/// Catch-ups are paced while searches keep the machine busy (<c>Catalog:Search:PublishInterval</c>): writes arriving
/// within the interval of the last catch-up share the next one, and each write still reads its own write when it
/// returns. This fixture counts any search load as busy (<see cref="IndexFollowerOptions.BusySearchCores"/> 0), so that
/// pacing does not depend on how fast the machine searches.
/// </summary>
public sealed class PublishPacingTests : CatalogApiTests
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    protected override CatalogHost CreateHost() =>
        new(store: Store, services: s => s.AddSingleton(new IndexFollowerOptions { PublishInterval = Interval, BusySearchCores = 0 }));

    protected override Task ArrangeAsync() => Fixtures.OrganizationAsync("pace-org");

    private IndexFollower Follower => Host.Services.GetRequiredService<IndexFollower>();

    [Test]
    public async Task Writes_arriving_within_the_interval_share_one_catch_up_and_each_reads_its_write()
    {
        // Applied now or after a wait: either way a catch-up has just run when it returns.
        await Fixtures.DatasetAsync("pace-first", "pace-org");
        var before = Follower.CatchUps;

        var watch = Stopwatch.StartNew();
        var writes = new[] { "pace-a", "pace-b", "pace-c" }.Select(async name =>
        {
            await Fixtures.DatasetAsync(name, "pace-org");
            // Returned: its write is searchable, whichever catch-up applied it.
            return await PacingNames.OfAsync(Anon, $"name:{name}");
        }).ToList();
        var seen = await Task.WhenAll(writes);

        Assert.That(seen, Is.EqualTo(new[] { new[] { "pace-a" }, ["pace-b"], ["pace-c"] }));
        Assert.That(Follower.CatchUps - before, Is.EqualTo(1), "the three writes shared the next catch-up");
        Assert.That(watch.Elapsed, Is.LessThan(Interval + TimeSpan.FromSeconds(10)), "a write waits for the interval, not for more");
        Assert.That(await PacingNames.OfAsync(Anon, "name:pace-*"), Is.EqualTo(new[] { "pace-a", "pace-b", "pace-c", "pace-first" }));
    }

    [Test]
    public async Task A_write_after_the_interval_is_applied_at_once()
    {
        await Fixtures.DatasetAsync("late-first", "pace-org");
        await Task.Delay(Interval);
        var watch = Stopwatch.StartNew();
        await Fixtures.DatasetAsync("late-second", "pace-org");
        Assert.That(watch.Elapsed, Is.LessThan(Interval), "the last catch-up is older than the interval: nothing to wait for");
        Assert.That(await PacingNames.OfAsync(Anon, "name:late-*"), Is.EqualTo(new[] { "late-first", "late-second" }));
    }

    [Test]
    public void The_interval_is_read_from_configuration_and_a_negative_one_is_refused_at_start()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SearchServiceCollectionExtensions.PublishIntervalKey] = "-00:00:01" })
            .Build();
        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddCatalogSearch(configuration));
        Assert.That(e!.Message, Does.Contain(SearchServiceCollectionExtensions.PublishIntervalKey));

        Assert.That(OptionsFrom(new() { [SearchServiceCollectionExtensions.PublishIntervalKey] = "00:00:00.5" }).PublishInterval,
            Is.EqualTo(TimeSpan.FromMilliseconds(500)));
        Assert.That(OptionsFrom([]).PublishInterval, Is.EqualTo(IndexFollowerOptions.DefaultPublishInterval));
        Assert.That(OptionsFrom([]).BusySearchCores, Is.EqualTo(Environment.ProcessorCount / 4.0));
    }

    private static IndexFollowerOptions OptionsFrom(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection().AddCatalogSearch(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return (IndexFollowerOptions)services.Last(d => d.ServiceType == typeof(IndexFollowerOptions)).ImplementationInstance!;
    }
}

/// <summary>
/// With the default threshold, a catalog searched now and then is not busy: a script writing dataset after dataset,
/// searching in between, is applied write by write without waiting. The search load is measured as the searches' time
/// over the last whole second.
/// </summary>
public sealed class PublishPacingLoadTests : CatalogApiTests
{
    protected override CatalogHost CreateHost() =>
        new(store: Store, settings: new() { [SearchServiceCollectionExtensions.PublishIntervalKey] = PublishPacingTests.Interval.ToString() });

    protected override Task ArrangeAsync() => Fixtures.OrganizationAsync("load-org");

    [Test]
    public async Task Writes_between_occasional_searches_are_applied_at_once()
    {
        var follower = Host.Services.GetRequiredService<IndexFollower>();
        var before = follower.CatchUps;
        var watch = Stopwatch.StartNew();
        foreach (var name in new[] { "load-a", "load-b", "load-c" })
        {
            await Fixtures.DatasetAsync(name, "load-org");
            Assert.That(await PacingNames.OfAsync(Anon, $"name:{name}"), Is.EqualTo(new[] { name }));
        }
        Assert.That(watch.Elapsed, Is.LessThan(PublishPacingTests.Interval), "no write waited for the interval");
        Assert.That(follower.CatchUps - before, Is.EqualTo(3));
    }

    [Test]
    public async Task The_search_load_is_the_searches_time_over_the_last_whole_second()
    {
        var index = Host.Services.GetRequiredService<SearchIndex>();
        // Searches that hold the searcher for 300 ms each, three at once: about 0.9 s of searching within a second.
        var searches = Enumerable.Range(0, 3).Select(_ => Task.Run(() => index.Searching(_ => { Thread.Sleep(300); return 0; }))).ToList();
        await Task.WhenAll(searches);
        // Counted in the second they ended, and read over the whole second after it (the set-up's own searches, a few
        // milliseconds, may show first).
        var measured = 0.0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3) && (measured = Math.Max(measured, index.Load.Cores)) <= 0.25) await Task.Delay(20);
        Assert.That(measured, Is.GreaterThan(0.25).And.LessThan(1.5), "three searches of 300 ms, wherever the second boundary fell");
        await Task.Delay(TimeSpan.FromSeconds(2.1));
        Assert.That(index.Load.Cores, Is.Zero, "no search for two seconds: no load");
    }
}

internal static class PacingNames
{
    public static async Task<List<string>> OfAsync(CkanClient client, string q)
    {
        var found = (await client.CallAsync("package_search", new { q, rows = 100 }))!;
        return found["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order().ToList();
    }
}
