using System.Data.Common;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Search;

/// <summary>
/// The change feed cannot skip: a write whose transaction is held open after it appended to the feed, while later
/// writes run, is still applied by the follower, once, and its change comes first in the feed.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class FeedOrderTests(TestStore store) : CatalogApiTests(store)
{
    /// <summary>Holds the next commit until released.</summary>
    private sealed class CommitGate : DbTransactionInterceptor
    {
        private TaskCompletionSource? _release;
        public TaskCompletionSource Held { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Arm()
        {
            Held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return Volatile.Read(ref _release) ?? (_release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction,
            TransactionEventData eventData, InterceptionResult result, CancellationToken ct = default)
        {
            if (Interlocked.Exchange(ref _release, null) is { } release)
            {
                Held.TrySetResult();
                await release.Task;
            }
            return result;
        }
    }

    private readonly CommitGate _gate = new();

    protected override CatalogHost CreateHost() => new(store: Store, services: s => s.AddSingleton<IInterceptor>(_gate));

    protected override Task ArrangeAsync() => Fixtures.OrganizationAsync("feed-org");

    [Test]
    public async Task A_write_that_commits_late_is_applied_exactly_once()
    {
        var release = _gate.Arm();
        var late = Fixtures.DatasetAsync("feed-late", "feed-org");
        await _gate.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Written while the first one's transaction is open, past the point where it appended to the feed.
        var others = Enumerable.Range(1, 3).Select(i => Fixtures.DatasetAsync($"feed-other-{i}", "feed-org")).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.That(late.IsCompleted, Is.False);

        release.SetResult();
        await late;
        await Task.WhenAll(others);

        var found = (await Anon.CallAsync("package_search", new { q = "name:feed-*", rows = 100 }))!;
        Assert.That(found["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order(),
            Is.EqualTo(new[] { "feed-late", "feed-other-1", "feed-other-2", "feed-other-3" }));

        var status = (await Anon.GetAsync("status_show")).Ok()!["search_index"]!;
        Assert.That(status["lag"]!.GetValue<long>(), Is.Zero);

        // The held write's change comes before every change committed after it.
        using var scope = Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var created = await db.Activities.Where(a => a.ActivityType == "new package")
            .Join(db.Packages, a => a.ObjectId, p => p.Id, (a, p) => new { a.Seq, p.Name })
            .Where(x => x.Name.StartsWith("feed-")).OrderBy(x => x.Seq).Select(x => x.Name).ToListAsync();
        Assert.That(created[0], Is.EqualTo("feed-late"));
        Assert.That(created, Has.Count.EqualTo(4));
    }
}
