using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Indexer;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Security;

/// <summary>
/// The index follows every committed write whatever goes wrong around it: a caller that hangs up does not leave it
/// behind, and a batch that fails is retried in the background, shown as lag in status_show meanwhile, until it
/// goes through.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class IndexFaultTests(TestStore store)
{
    /// <summary>The fault injected into the follower's batches: off, failing, or holding a batch until released.</summary>
    internal sealed class Faults
    {
        public volatile bool Failing;
        public volatile ManualResetEventSlim? Hold;
        public readonly ManualResetEventSlim Held = new();
        public int Batches;

        public void BeforeBatch(long from, long to)
        {
            Interlocked.Increment(ref Batches);
            if (Hold is { } hold)
            {
                Held.Set();
                hold.Wait(TimeSpan.FromSeconds(30));
            }
            if (Failing) throw new IOException($"injected failure applying changes {from + 1}..{to}");
        }
    }

    private Faults _faults = null!;
    private CatalogHost _host = null!;

    /// <summary>A host whose follower goes through <paramref name="faults"/> and retries quickly.</summary>
    internal static CatalogHost Host(Faults faults, TestStore store, string? dataDir = null, string? postgresConnection = null)
    {
        var options = new IndexFollowerOptions
        {
            RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(400), BeforeBatch = faults.BeforeBatch,
        };
        return new CatalogHost(settings: dataDir is null ? null : new() { ["Catalog:DataDir"] = dataDir }, services: s => s.AddSingleton(options),
            store: store, postgresConnection: postgresConnection);
    }

    [SetUp]
    public async Task Start()
    {
        _faults = new Faults();
        _host = Host(_faults, store);
        await new CatalogFixtures(_host).OrganizationAsync("fault-org", "志摩市");
    }

    [TearDown]
    public void Stop()
    {
        _faults.Hold?.Set();
        _host.Dispose();
    }

    private Task<bool> FoundAsync(string name) => FoundAsync(_host, name);

    internal static async Task<bool> FoundAsync(CatalogHost host, string name)
    {
        using var anon = host.Client();
        return (await anon.CallAsync("package_search", new { fq = $"name:{name}" }))!["count"]!.GetValue<int>() == 1;
    }

    internal static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < within)
        {
            if (await condition()) return true;
            await Task.Delay(50);
        }
        return await condition();
    }

    internal static async Task<JsonObject> IndexStatusAsync(CkanClient client) =>
        (await client.GetAsync("status_show")).Ok()!["search_index"]!.AsObject();

    [Test]
    public async Task A_write_whose_caller_hangs_up_is_still_searchable()
    {
        var release = new ManualResetEventSlim();
        _faults.Hold = release;
        using var http = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        using var hangUp = new CancellationTokenSource();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/action/package_create")
        {
            Content = new StringContent("""{"name": "hung-up", "title": "電話を切られた書き込み", "owner_org": "fault-org"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Authorization", CatalogHost.SysadminToken);
        var sending = http.SendAsync(request, hangUp.Token);

        // The write is committed and its catch-up has started: the caller hangs up before it ends.
        Assert.That(_faults.Held.Wait(TimeSpan.FromSeconds(30)), Is.True, "the catch-up reached its batch");
        hangUp.Cancel();
        Assert.That(async () => await sending, Throws.InstanceOf<OperationCanceledException>());
        // Time for the server to see the connection close (the request's token is cancelled) before the batch goes on.
        await Task.Delay(300);
        _faults.Hold = null;
        release.Set();

        Assert.That(await EventuallyAsync(() => FoundAsync("hung-up"), TimeSpan.FromSeconds(10)), Is.True);
        using var admin = _host.Sysadmin();
        Assert.That((await IndexStatusAsync(admin))["lag"]!.GetValue<long>(), Is.Zero);
    }

    [Test]
    public async Task A_failing_batch_is_retried_shown_as_lag_and_caught_up()
    {
        using var admin = _host.Sysadmin();
        using var anon = _host.Client();
        await admin.CallAsync("package_create", new { name = "before-fault", owner_org = "fault-org" });
        Assert.That(await FoundAsync("before-fault"), Is.True);
        var healthy = await IndexStatusAsync(anon);
        Assert.That(healthy["lag"]!.GetValue<long>(), Is.Zero);
        Assert.That(healthy["last_error"], Is.Null);
        Assert.That(healthy["applied_seq"]!.GetValue<long>(), Is.EqualTo(healthy["store_seq"]!.GetValue<long>()));

        _faults.Failing = true;
        var watch = Stopwatch.StartNew();
        await admin.CallAsync("package_create", new { name = "during-fault", owner_org = "fault-org" });
        await admin.CallAsync("package_create", new { name = "during-fault-2", owner_org = "fault-org" });
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the writes stand and return; the index is retried behind them");
        Assert.That(await FoundAsync("during-fault"), Is.False);

        var behind = await IndexStatusAsync(admin);
        Assert.That(behind["lag"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(1));
        Assert.That(behind["store_seq"]!.GetValue<long>() - behind["applied_seq"]!.GetValue<long>(), Is.EqualTo(behind["lag"]!.GetValue<long>()));
        Assert.That(behind["last_error"]!.GetValue<string>(), Does.Contain("injected failure"));
        Assert.That((await IndexStatusAsync(anon))["last_error"]!.GetValue<string>(), Does.Not.Contain("injected"), "the details are for sysadmins");

        var attempts = Volatile.Read(ref _faults.Batches);
        Assert.That(await EventuallyAsync(() => Task.FromResult(Volatile.Read(ref _faults.Batches) >= attempts + 2), TimeSpan.FromSeconds(10)),
            Is.True, "retried in the background");
        Assert.That(await FoundAsync("during-fault"), Is.False, "still failing");

        _faults.Failing = false;
        Assert.That(await EventuallyAsync(async () => await FoundAsync("during-fault") && await FoundAsync("during-fault-2"), TimeSpan.FromSeconds(10)), Is.True);
        var recovered = await IndexStatusAsync(admin);
        Assert.That(recovered["lag"]!.GetValue<long>(), Is.Zero);
        Assert.That(recovered["last_error"], Is.Null);

        await admin.CallAsync("package_create", new { name = "after-fault", owner_org = "fault-org" });
        Assert.That(await FoundAsync("after-fault"), Is.True, "read-your-writes again");
    }

    [Test]
    public async Task Status_show_keeps_its_keys_and_adds_the_index()
    {
        using var anon = _host.Client();
        var status = (await anon.GetAsync("status_show")).Ok()!.AsObject();
        Assert.That(status.Select(kv => kv.Key), Is.EqualTo(new[]
        {
            "site_title", "site_description", "site_url", "error_emails_to", "locale_default", "extensions", "ckan_version", "search_index", "search",
        }));
        Assert.That(status["search_index"]!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[] { "applied_seq", "store_seq", "lag", "last_error" }));
    }
}

/// <summary>An index that cannot catch up when the catalog starts does not keep the catalog from starting.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class IndexFaultAtStartTests(TestStore store)
{
    private string _dataDir = null!;
    private TestPostgresDatabase? _database;

    [SetUp]
    public void NewDataDir()
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "catalog-tests", "fault-start-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDir);
        // On PostgreSQL the store outlives the restart, as the SQLite file in the data folder does.
        _database = store == TestStore.Postgres ? TestPostgresDatabase.Create() : null;
    }

    [TearDown]
    public void RemoveDataDir()
    {
        _database?.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Test]
    public async Task The_catalog_starts_serves_and_reports_the_lag_until_the_index_catches_up()
    {
        var first = new IndexFaultTests.Faults();
        using (var host = IndexFaultTests.Host(first, store, _dataDir, _database?.ConnectionString))
        {
            await new CatalogFixtures(host).OrganizationAsync("start-org", "尾鷲市");
            using var admin = host.Sysadmin();
            await admin.CallAsync("package_create", new { name = "indexed", owner_org = "start-org" });
            first.Failing = true;
            await admin.CallAsync("package_create", new { name = "left-behind", owner_org = "start-org" });
        }

        var second = new IndexFaultTests.Faults { Failing = true };
        using var restarted = IndexFaultTests.Host(second, store, _dataDir, _database?.ConnectionString);
        using var sysadmin = restarted.Sysadmin();
        Assert.That((await sysadmin.CallAsync("package_show", new { id = "left-behind" }))!["name"]!.GetValue<string>(), Is.EqualTo("left-behind"));
        Assert.That(await IndexFaultTests.FoundAsync(restarted, "indexed"), Is.True);
        Assert.That(await IndexFaultTests.FoundAsync(restarted, "left-behind"), Is.False);
        var behind = await IndexFaultTests.IndexStatusAsync(sysadmin);
        Assert.That(behind["lag"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(1));
        Assert.That(behind["last_error"]!.GetValue<string>(), Does.Contain("injected failure"));

        second.Failing = false;
        Assert.That(await IndexFaultTests.EventuallyAsync(() => IndexFaultTests.FoundAsync(restarted, "left-behind"), TimeSpan.FromSeconds(10)), Is.True);
        Assert.That((await IndexFaultTests.IndexStatusAsync(sysadmin))["lag"]!.GetValue<long>(), Is.Zero);
    }
}
