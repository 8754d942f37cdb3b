using System.Net;
using Catalog.Core.Dispatch;
using Catalog.Indexer;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;
using Catalog.Tests.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Security;

/// <summary>
/// A search that runs out of time stops with CKAN's search error, whether it is expanding a pattern into terms,
/// looking for similar terms, or collecting matches; searches the catalog makes for itself have no limit.
/// </summary>
public sealed class SearchTimeLimitTests
{
    /// <summary>A clock that moves on by a whole second each time it is read: a search is out of time at its first look.</summary>
    private sealed class LeapingClock : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _now, TimeSpan.TicksPerSecond);

        public override DateTimeOffset GetUtcNow() => new(IndexHarness.Now);
    }

    private IndexHarness _h = null!;
    private Searcher _leaping = null!;

    [OneTimeSetUp]
    public void Fill()
    {
        // Enough terms and positions that every step is looked at more than once: the budget checks the clock now and then.
        var datasets = Enumerable.Range(0, 400).Select(i =>
            IndexHarness.Dataset($"d{i:D3}", $"避難所一覧 {i}", notes: $"word{i} 公園 term{i * 7} 施設{i} item{i}x"));
        _h = new IndexHarness(datasets);
        _leaping = new Searcher(_h.Index, SearchVocabulary.LoadEmbedded(), new LeapingClock());
    }

    [OneTimeTearDown]
    public void Drop() => _h.Dispose();

    private SearchResult Search(Searcher searcher, string q, TimeSpan? allowed) =>
        searcher.Search(new SearchRequest { Q = q, Rows = 10, Visibility = SearchVisibility.Everything, TimeAllowed = allowed });

    [TestCase("text:*zzz", TestName = "Out of time: a leading wildcard matching nothing, while walking the terms")]
    [TestCase("notes:*zzz", TestName = "Out of time: a leading wildcard on the notes matching nothing")]
    [TestCase("notes:*x", TestName = "Out of time: a pattern on the notes, while collecting its matches")]
    [TestCase("text:word1~2", TestName = "Out of time: a fuzzy term, while looking for similar terms")]
    [TestCase("*:*", TestName = "Out of time: everything, while collecting")]
    public void A_search_out_of_time_stops_with_a_search_error(string q)
    {
        var e = Assert.Throws<SearchException>(() => Search(_leaping, q, TimeSpan.FromSeconds(0.5)));
        Assert.That(e!.Message, Is.EqualTo("Search error: Search took too long"));
        Assert.That(e.ErrorType, Is.EqualTo("Search Error"));
        Assert.That(e.StatusCode, Is.EqualTo(409));

        Assert.That(() => Search(_leaping, q, null), Throws.Nothing, "without a limit the same search runs to its end");
        Assert.That(() => Search(_h.Searcher, q, TimeSpan.FromSeconds(10)), Throws.Nothing, "in real time it is quick");
    }

    [Test]
    public void A_time_limit_of_zero_or_less_is_refused_at_start()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SearchServiceCollectionExtensions.TimeLimitKey] = "00:00:00" })
            .Build();
        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddCatalogSearch(configuration));
        Assert.That(e!.Message, Does.Contain(SearchServiceCollectionExtensions.TimeLimitKey));
    }
}

/// <summary>Over HTTP: package_search is held to <c>Catalog:Search:TimeLimit</c>; the catalog's own counts are not.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class SearchTimeLimitApiTests(TestStore store) : CatalogApiTests(store)
{
    protected override CatalogHost CreateHost() =>
        new(store: Store, settings: new() { [SearchServiceCollectionExtensions.TimeLimitKey] = "00:00:00.0000001" });

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("limit-org", "鳥羽市");
        await Fixtures.DatasetAsync("limit-a", "limit-org");
        await Fixtures.DatasetAsync("limit-b", "limit-org");
    }

    [Test]
    public async Task A_search_longer_than_the_limit_is_a_search_error()
    {
        var r = await Anon.PostAsync("package_search", new { q = "*:*", fq = "organization:limit-org" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(r.ErrorType, Is.EqualTo("Search Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Is.EqualTo("Search error: Search took too long"));
    }

    [Test]
    public async Task Package_counts_are_not_held_to_it()
    {
        var orgs = (await Anon.GetAsync("organization_list", "all_fields=true")).Ok()!.AsArray();
        Assert.That(orgs.Single(o => o!["name"]!.GetValue<string>() == "limit-org")!["package_count"]!.GetValue<int>(), Is.EqualTo(2));
    }
}
