using Catalog.Core.Store;
using Catalog.Indexer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Search;

/// <summary>
/// The index follows the store through the change feed: it catches up at start with writes it never saw (the
/// process died between the database commit and the index commit), and a missing or corrupt index is rebuilt.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class IndexFollowerTests(TestStore store)
{
    private string _dataDir = null!;
    private TestPostgresDatabase? _database;

    [SetUp]
    public void NewDataDir()
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "catalog-tests", "follower-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDir);
        // On PostgreSQL the store outlives the hosts of a test, as the SQLite file in the data folder does.
        _database = store == TestStore.Postgres ? TestPostgresDatabase.Create() : null;
    }

    [TearDown]
    public void RemoveDataDir()
    {
        _database?.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private CatalogHost Host() => new(settings: new() { ["Catalog:DataDir"] = _dataDir }, store: store, postgresConnection: _database?.ConnectionString);

    private static async Task<List<string>> Names(CatalogHost host, string q)
    {
        using var client = host.Sysadmin();
        var result = await client.CallAsync("package_search", new { q, include_private = true, rows = 1000 });
        return result!["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).OrderBy(n => n).ToList();
    }

    private static async Task SeedAsync(CatalogHost host)
    {
        await new CatalogFixtures(host).OrganizationAsync("pref-mie", "三重県");
        using var admin = host.Sysadmin();
        await admin.CallAsync("package_create", new { name = "shelters", title = "指定緊急避難場所一覧", owner_org = "pref-mie" });
        await admin.CallAsync("package_create", new { name = "toilets", title = "公衆トイレ一覧", owner_org = "pref-mie" });
        await admin.CallAsync("package_create", new { name = "libraries", title = "図書館一覧", owner_org = "pref-mie" });
    }

    /// <summary>Commits changes and their change-feed entries straight to the store, as a write whose index update never ran.</summary>
    private static async Task WriteBehindTheIndexAsync(CatalogHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        // In a transaction, as the dispatcher writes: on PostgreSQL the feed is appended to inside one only.
        await using var tx = await db.Database.BeginTransactionAsync();
        var now = DateTime.UtcNow;
        var org = await db.Groups.SingleAsync(g => g.Name == "pref-mie");
        var added = new Package { Id = Guid.NewGuid().ToString(), Name = "hospitals", Title = "医療機関一覧", OwnerOrgId = org.Id, MetadataCreated = now, MetadataModified = now };
        db.Packages.Add(added);
        var renamed = await db.Packages.SingleAsync(p => p.Name == "toilets");
        renamed.Title = "公衆便所の所在地";
        renamed.MetadataModified = now;
        var deleted = await db.Packages.SingleAsync(p => p.Name == "libraries");
        deleted.State = ObjectState.Deleted;
        foreach (var p in new[] { added, renamed, deleted })
            db.Activities.Add(new Activity { Id = Guid.NewGuid().ToString(), ObjectId = p.Id, ObjectType = "package", ActivityType = "changed package", Timestamp = now });
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    /// <summary>Datasets of pref-mie (統計表0, 統計表1, …) written straight into the store: only a rebuild reads them.</summary>
    private static async Task AddAroundTheIndexAsync(CatalogHost host, int count, Func<int, string?>? url = null)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var org = await db.Groups.SingleAsync(g => g.Name == "pref-mie");
        var now = DateTime.UtcNow;
        db.Packages.AddRange(Enumerable.Range(0, count).Select(i => new Package
        {
            Id = Guid.NewGuid().ToString(), Name = $"bulk-{i:D4}", Title = $"統計表{i}", OwnerOrgId = org.Id,
            MetadataCreated = now, MetadataModified = now, Url = url?.Invoke(i),
        }));
        await db.SaveChangesAsync();
    }

    [Test]
    public async Task Writes_committed_without_reaching_the_index_are_applied_at_the_next_start()
    {
        using (var first = Host())
        {
            await SeedAsync(first);
            await WriteBehindTheIndexAsync(first);
            Assert.That(await Names(first, "医療機関"), Is.Empty, "the running index never heard of the change");
        }
        using var second = Host();
        Assert.That(await Names(second, "医療機関"), Is.EqualTo(new[] { "hospitals" }));
        Assert.That(await Names(second, "便所"), Is.EqualTo(new[] { "toilets" }));
        Assert.That(await Names(second, "図書館"), Is.Empty, "deleted in the store, gone from search");
        Assert.That(await Names(second, "避難"), Is.EqualTo(new[] { "shelters" }));
    }

    [Test]
    public async Task The_next_write_also_catches_up_everything_before_it()
    {
        using var host = Host();
        await SeedAsync(host);
        await WriteBehindTheIndexAsync(host);
        using var admin = host.Sysadmin();
        await admin.CallAsync("package_create", new { name = "parks", title = "都市公園一覧", owner_org = "pref-mie" });
        Assert.That(await Names(host, "医療機関"), Is.EqualTo(new[] { "hospitals" }));
        Assert.That(await Names(host, "一覧"), Is.EqualTo(new[] { "hospitals", "parks", "shelters" }));
    }

    [Test]
    public async Task A_rebuild_is_searchable_when_it_returns_and_merged_into_one_segment_afterwards()
    {
        using (var host = Host())
        {
            await SeedAsync(host);
            var follower = host.Services.GetRequiredService<IndexFollower>();
            Assert.That(await follower.RebuildAsync(), Is.EqualTo(3));
            Assert.That(await Names(host, "一覧"), Is.EqualTo(new[] { "libraries", "shelters", "toilets" }), "searchable before the merge ends");

            await follower.MergedAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(follower.Index.SegmentCount, Is.EqualTo(1));
            using var admin = host.Sysadmin();
            await admin.CallAsync("package_create", new { name = "parks", title = "都市公園一覧", owner_org = "pref-mie" });
            Assert.That(await Names(host, "一覧"), Is.EqualTo(new[] { "libraries", "parks", "shelters", "toilets" }));
        }
        using var restarted = Host();
        Assert.That(await Names(restarted, "一覧"), Is.EqualTo(new[] { "libraries", "parks", "shelters", "toilets" }));
    }

    [Test]
    public async Task A_rebuild_stopped_half_way_ends_at_once_and_leaves_the_index_as_it_was()
    {
        using var host = Host();
        await SeedAsync(host);
        await AddAroundTheIndexAsync(host, 1200); // three pages
        var follower = host.Services.GetRequiredService<IndexFollower>();
        using var stop = new CancellationTokenSource();

        var stopped = follower.RebuildAsync(new StopOnFirstPage(stop), stop.Token);
        Assert.That(async () => await stopped.WaitAsync(TimeSpan.FromSeconds(60)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(follower.Index.DocumentCount, Is.EqualTo(3), "rolled back to the last commit");
        Assert.That(await Names(host, "一覧"), Is.EqualTo(new[] { "libraries", "shelters", "toilets" }));

        Assert.That(await follower.RebuildAsync(), Is.EqualTo(1203));
        Assert.That(await Names(host, "統計表"), Has.Count.EqualTo(1000), "rows is capped at 1000");
    }

    [Test]
    public async Task A_dataset_the_index_cannot_take_fails_the_rebuild_at_once_and_leaves_the_index_as_it_was()
    {
        using var host = Host();
        await SeedAsync(host);
        // Written around validation (which caps URLs at 8,000 characters): a 40,000-byte exact term is more than Lucene
        // takes. Every indexer fails on such datasets; the reader must not wait for them forever.
        await AddAroundTheIndexAsync(host, 2400, i => i % 100 == 7 ? "http://example.lg.jp/" + new string('a', 40_000) : null);
        var follower = host.Services.GetRequiredService<IndexFollower>();

        Assert.That(async () => await follower.RebuildAsync().WaitAsync(TimeSpan.FromSeconds(60)),
            Throws.InstanceOf<ArgumentException>().With.Message.Contains("immense term"), "the failure itself, not the cancellations it caused");
        Assert.That(follower.Index.DocumentCount, Is.EqualTo(3), "rolled back to the last commit");
        Assert.That(await Names(host, "一覧"), Is.EqualTo(new[] { "libraries", "shelters", "toilets" }));
    }

    private sealed class StopOnFirstPage(CancellationTokenSource stop) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => stop.Cancel();
    }

    [Test]
    public async Task Rebuilds_in_a_row_each_leave_a_whole_index()
    {
        using var host = Host();
        await SeedAsync(host);
        var follower = host.Services.GetRequiredService<IndexFollower>();
        // The second starts while the first one's merge may still be running: it is aborted, and the second merges.
        var rebuilds = await Task.WhenAll(follower.RebuildAsync(), follower.RebuildAsync(), follower.RebuildAsync());
        Assert.That(rebuilds, Is.All.EqualTo(3));
        await follower.MergedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(follower.Index.SegmentCount, Is.EqualTo(1));
        Assert.That(follower.Index.DocumentCount, Is.EqualTo(3));
        Assert.That(await Names(host, "一覧"), Is.EqualTo(new[] { "libraries", "shelters", "toilets" }));
    }

    [Test]
    public async Task A_missing_index_is_rebuilt_from_the_store()
    {
        using (var first = Host()) await SeedAsync(first);
        Directory.Delete(Path.Combine(_dataDir, "index"), recursive: true);
        using var second = Host();
        Assert.That(await Names(second, "一覧"), Is.EqualTo(new[] { "libraries", "shelters", "toilets" }));
    }

    [Test]
    public async Task A_corrupt_index_is_rebuilt_from_the_store()
    {
        using (var first = Host()) await SeedAsync(first);
        foreach (var file in Directory.GetFiles(Path.Combine(_dataDir, "index")))
            await File.WriteAllBytesAsync(file, [0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3]);
        using var second = Host();
        Assert.That(await Names(second, "一覧"), Is.EqualTo(new[] { "libraries", "shelters", "toilets" }));
    }

    [Test]
    public async Task An_index_ahead_of_the_store_is_rebuilt()
    {
        using (var first = Host())
        {
            await SeedAsync(first);
            // The store is replaced by an older copy: its change feed ends before what the index has applied.
            await using var scope = first.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var libraries = await db.Packages.SingleAsync(p => p.Name == "libraries");
            db.Packages.Remove(libraries);
            await db.Activities.Where(a => a.ObjectId == libraries.Id).ExecuteDeleteAsync();
            await db.SaveChangesAsync();
        }
        using var second = Host();
        Assert.That(await Names(second, "一覧"), Is.EqualTo(new[] { "shelters", "toilets" }));
    }

    [Test]
    public async Task A_renamed_organization_is_reflected_in_its_datasets()
    {
        using var host = Host();
        await SeedAsync(host);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            var org = await db.Groups.SingleAsync(g => g.Name == "pref-mie");
            org.Title = "三重県防災対策部";
            db.Activities.Add(new Activity { Id = Guid.NewGuid().ToString(), ObjectId = org.Id, ObjectType = "organization", ActivityType = "changed organization", Timestamp = DateTime.UtcNow });
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        await host.Services.GetRequiredService<IndexFollower>().CatchUpAsync();
        Assert.That(await Names(host, "防災対策部"), Is.EqualTo(new[] { "libraries", "shelters", "toilets" }));
        using var anon = host.Client();
        var shelter = (await anon.CallAsync("package_search", new { q = "name:shelters" }))!["results"]![0]!;
        Assert.That(shelter["organization"]!["title"]!.GetValue<string>(), Is.EqualTo("三重県防災対策部"));
    }

    [Test]
    public async Task Memberships_re_index_no_dataset_but_a_new_organization_title_re_indexes_its_datasets()
    {
        using var host = Host();
        await SeedAsync(host);
        var fixtures = new CatalogFixtures(host);
        await fixtures.UserAsync("editor-a");
        await fixtures.GroupAsync("disaster", "防災");
        var follower = host.Services.GetRequiredService<IndexFollower>();
        using var admin = host.Sysadmin();
        await admin.CallAsync("member_create", new { id = "disaster", @object = "shelters", object_type = "package", capacity = "public" });
        var before = follower.Reindexed;

        await admin.CallAsync("organization_member_create", new { id = "pref-mie", username = "editor-a", role = "editor" });
        await admin.CallAsync("organization_member_create", new { id = "pref-mie", username = "editor-a", role = "admin" });
        await admin.CallAsync("organization_member_delete", new { id = "pref-mie", username = "editor-a" });
        await admin.CallAsync("group_member_create", new { id = "disaster", username = "editor-a", role = "member" });
        await admin.CallAsync("organization_patch", new { id = "pref-mie", extras = new[] { new { key = "部局", value = "防災対策部" } } });
        Assert.That(follower.Reindexed, Is.EqualTo(before), "a change no dataset embeds re-indexes none");

        await admin.CallAsync("member_create", new { id = "disaster", @object = "toilets", object_type = "package", capacity = "public" });
        Assert.That(follower.Reindexed, Is.EqualTo(before + 1), "a dataset put in a group is a change of that dataset");
        Assert.That(await Names(host, "groups:disaster"), Is.EqualTo(new[] { "shelters", "toilets" }));

        await admin.CallAsync("organization_patch", new { id = "pref-mie", title = "三重県防災対策部" });
        Assert.That(follower.Reindexed, Is.EqualTo(before + 4), "every dataset of the organization embeds its title");
        await admin.CallAsync("group_patch", new { id = "disaster", title = "防災・減災" });
        Assert.That(follower.Reindexed, Is.EqualTo(before + 6), "and every dataset of a group its group's");

        using var anon = host.Client();
        var shelter = (await anon.CallAsync("package_search", new { q = "name:shelters" }))!["results"]![0]!;
        Assert.That(shelter["organization"]!["title"]!.GetValue<string>(), Is.EqualTo("三重県防災対策部"));
        Assert.That(shelter["groups"]![0]!["title"]!.GetValue<string>(), Is.EqualTo("防災・減災"));
        Assert.That(await Names(host, "防災対策部"), Is.EqualTo(new[] { "libraries", "shelters", "toilets" }));
    }

    /// <summary>The sequence recorded in the index's last commit on disk: what a restart would resume from.</summary>
    private long DurableSeq()
    {
        using var directory = Lucene.Net.Store.FSDirectory.Open(Path.Combine(_dataDir, "index"));
        var last = Lucene.Net.Index.DirectoryReader.ListCommits(directory)[^1];
        return long.Parse(last.UserData["catalog.seq"], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public async Task Writes_are_searchable_at_once_and_committed_to_disk_together_within_the_commit_interval()
    {
        long applied;
        using (var host = new CatalogHost(settings: new() { ["Catalog:DataDir"] = _dataDir, ["Catalog:Search:CommitInterval"] = "01:00:00" },
                   store: store, postgresConnection: _database?.ConnectionString))
        {
            await SeedAsync(host);
            var index = host.Services.GetRequiredService<IndexFollower>().Index;
            var durable = DurableSeq();
            using var admin = host.Sysadmin();
            for (var i = 0; i < 5; i++)
            {
                await admin.CallAsync("package_create", new { name = $"parks-{i}", title = $"都市公園{i}", owner_org = "pref-mie" });
                Assert.That(await Names(host, "都市公園"), Has.Count.EqualTo(i + 1), "searchable when the write returns");
            }
            Assert.That(DurableSeq(), Is.EqualTo(durable), "no commit (and fsync) per write");
            Assert.That(index.HasUncommitted, Is.True);
            applied = index.AppliedSeq;
        }
        Assert.That(DurableSeq(), Is.EqualTo(applied), "the index commits what it published when it closes");

        using var second = Host();
        using (var admin = second.Sysadmin())
            await admin.CallAsync("package_create", new { name = "parks-9", title = "都市公園9", owner_org = "pref-mie" });
        var secondIndex = second.Services.GetRequiredService<IndexFollower>().Index;
        Assert.That(await Names(second, "都市公園"), Has.Count.EqualTo(6));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            // The writer may be replacing its commit point as it is read.
            try { if (!secondIndex.HasUncommitted && DurableSeq() >= secondIndex.AppliedSeq) break; }
            catch (IOException) { }
            await Task.Delay(50);
        }
        Assert.That(DurableSeq(), Is.EqualTo(secondIndex.AppliedSeq), "committed within the default interval without another write");
        Assert.That(secondIndex.HasUncommitted, Is.False);
    }

    [Test]
    public async Task Without_an_earlier_snapshot_a_membership_is_compared_with_what_the_index_holds()
    {
        using var host = Host();
        await SeedAsync(host);
        await new CatalogFixtures(host).UserAsync("editor-b");
        // As a store written without the feed (an import, the load bench) has it: no earlier change of the organization.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var org = await db.Groups.SingleAsync(g => g.Name == "pref-mie");
            await db.Activities.Where(a => a.ObjectId == org.Id).ExecuteDeleteAsync();
        }
        var follower = host.Services.GetRequiredService<IndexFollower>();
        var before = follower.Reindexed;
        using var admin = host.Sysadmin();
        await admin.CallAsync("organization_member_create", new { id = "pref-mie", username = "editor-b", role = "editor" });
        Assert.That(follower.Reindexed, Is.EqualTo(before), "the indexed datasets embed the organization as it is");

        await admin.CallAsync("organization_patch", new { id = "pref-mie", title = "三重県庁" });
        Assert.That(follower.Reindexed, Is.EqualTo(before + 3));
        using var anon = host.Client();
        var shelter = (await anon.CallAsync("package_search", new { q = "name:shelters" }))!["results"]![0]!;
        Assert.That(shelter["organization"]!["title"]!.GetValue<string>(), Is.EqualTo("三重県庁"));
    }
}
