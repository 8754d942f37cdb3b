using System.Data.Common;
using System.Net;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Actions;

/// <summary>
/// On SQLite (one write lock for the file) the actions' writes take turns in the process instead of in the driver's
/// sleeping busy-retry; on PostgreSQL they run side by side as before. Either way every concurrent write lands.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class SingleWriterTests(TestStore store)
{
    /// <summary>
    /// Times each BEGIN: on SQLite a BEGIN that meets another write's lock is retried by the driver after a 150 ms
    /// sleep, so a BEGIN of 150 ms or more is one that waited in the driver rather than for its turn.
    /// </summary>
    private sealed class BeginTimes : DbTransactionInterceptor
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<DbConnection, long> _started = new();
        public readonly System.Collections.Concurrent.ConcurrentBag<TimeSpan> Waits = [];

        public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
            TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            _started[connection] = System.Diagnostics.Stopwatch.GetTimestamp();
            return base.TransactionStartingAsync(connection, eventData, result, cancellationToken);
        }

        public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
            DbTransaction result, CancellationToken cancellationToken = default)
        {
            if (_started.TryRemove(connection, out var at)) Waits.Add(System.Diagnostics.Stopwatch.GetElapsedTime(at));
            return base.TransactionStartedAsync(connection, eventData, result, cancellationToken);
        }
    }

    private readonly BeginTimes _begins = new();
    private CatalogHost _host = null!;
    private CkanClient _admin = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new CatalogHost(store: store, services: s => s.AddSingleton<IInterceptor>(_begins));
        _admin = _host.Sysadmin();
        await new CatalogFixtures(_host).OrganizationAsync("single-writer-org");
    }

    [OneTimeTearDown] public void Stop() => _host.Dispose();

    [Test]
    public void Only_a_store_with_one_write_lock_queues_its_writes()
    {
        var registered = _host.Services.GetService<SingleWriter>() is not null;
        Assert.That(registered, Is.EqualTo(store == TestStore.Sqlite));
    }

    [Test]
    public async Task Concurrent_writes_all_land_and_on_sqlite_take_turns()
    {
        _begins.Waits.Clear();
        var names = Enumerable.Range(0, 12).Select(i => $"single-writer-{i}").ToList();
        var results = await Task.WhenAll(names.Select(name => _admin.PostAsync("package_create", new
        {
            name, owner_org = "single-writer-org", title = $"同時書き込み {name}",
            resources = new[] { new { url = $"https://example.lg.jp/{name}.csv" } },
        })));
        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK));
        foreach (var name in names)
            Assert.That((await _admin.PostAsync("package_show", new { id = name })).Status, Is.EqualTo(HttpStatusCode.OK));
        // One slow BEGIN is allowed for a loaded machine; without the turns most of the twelve wait in the driver.
        if (store == TestStore.Sqlite)
            Assert.That(_begins.Waits.Count(w => w >= TimeSpan.FromMilliseconds(150)), Is.LessThanOrEqualTo(1),
                "writes on SQLite wait for their turn, not in the driver's sleeping retry: " + string.Join(", ", _begins.Waits.Select(w => (int)w.TotalMilliseconds)));
    }

    [Test]
    public async Task A_write_waiting_for_its_turn_can_be_cancelled_and_the_next_one_goes_on()
    {
        var one = new SingleWriter();
        var first = await one.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = one.EnterAsync(cancel.Token);
        Assert.That(waiting.IsCompleted, Is.False, "the second write waits while the first holds the turn");
        await cancel.CancelAsync();
        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        var next = one.EnterAsync(CancellationToken.None);
        Assert.That(next.IsCompleted, Is.False, "a cancelled wait did not take the turn");
        first.Dispose();
        first.Dispose();
        (await next).Dispose();
        (await one.EnterAsync(CancellationToken.None)).Dispose();
    }
}
