using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Catalog.Tests.Harvest;
using Catalog.Tests.Sync;
using Npgsql;

namespace Catalog.Tests.Health;

/// <summary>
/// Nodes as deployed: separate <c>Catalog.Api</c> processes on one PostgreSQL store, each with its own index, sharing
/// one files folder. Eight writers spread their writes over every live node while one node is killed with SIGKILL and
/// started again and a fourth node joins late; a harvest job and sync jobs run meanwhile. Afterwards every node's
/// package_search returns exactly the store's datasets, every acknowledged write is there, and every job ran to
/// completion once: each node logs the jobs it claims with the attempt, one node per attempt, and a second attempt
/// only where the node holding the first was killed (its lease ran out; it is never run concurrently).
/// </summary>
public sealed class MultiNodeTests
{
    private const int Writers = 8;
    private const int MinCreatesPerWriter = 6;
    private const string PatchedTitle = "更新済み";

    [Test]
    public async Task Nodes_killed_and_joining_late_converge_without_losing_writes_or_running_jobs_twice()
    {
        using var database = TestPostgresDatabase.Create();
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var remote = await SyncCalls.RemoteAsync();
        await using var proxy = await FaultProxy.StartAsync(remote.BaseUrl);
        var root = CatalogHost.NewDataDir();
        var filesDir = Path.Combine(root, "files");
        Dictionary<string, string?> Settings(string node)
        {
            var s = new Dictionary<string, string?>(HarvestCalls.FastHttp);
            foreach (var (k, v) in SyncCalls.Settings(proxy.BaseUrl)) s[k] = v;
            // A write that timed out after landing would be sent again: give the busy machine time instead.
            s["Catalog:Sync:Targets:0:TimeoutSeconds"] = "30";
            s["Catalog:DataDir"] = Path.Combine(root, node);
            s["Catalog:Search:IndexDir"] = Path.Combine(root, node, "index");
            s["Catalog:Files:Dir"] = filesDir;
            s["Catalog:Seed"] = "false";
            s["Catalog:SysadminToken"] = CatalogHost.SysadminToken;
            s["Catalog:Database:Provider"] = "Postgres";
            s["Catalog:Database:ConnectionString"] = database.ConnectionString;
            // A killed node's job is resumed when its lease runs out: seconds here, not minutes.
            s["Catalog:Jobs:Lease"] = "00:00:05";
            s["Catalog:Jobs:PollInterval"] = "00:00:01";
            return s;
        }

        var started = new List<CatalogNodeProcess>(); // every process, killed ones too: their logs count
        var live = new CatalogNodeProcess?[4];
        try
        {
            // The first migrates the new database; the next two start together.
            live[0] = await CatalogNodeProcess.StartAsync("node-0", Settings("node-0"));
            started.Add(live[0]!);
            var pair = await Task.WhenAll(
                CatalogNodeProcess.StartAsync("node-1", Settings("node-1")),
                CatalogNodeProcess.StartAsync("node-2", Settings("node-2")));
            (live[1], live[2]) = (pair[0], pair[1]);
            started.AddRange(pair);

            using (var admin = live[0]!.Sysadmin())
                await admin.CallAsync("organization_create", new { name = "nodes-org", title = "ノード" });
            string harvestJob;
            using (var admin = live[1]!.Sysadmin())
            {
                var sourceId = await HarvestCalls.CreateSourceAsync(admin, HarvestCalls.SampleSource(site));
                harvestJob = (await admin.CallAsync("harvest_job_create", new { source_id = sourceId }))!["id"]!.GetValue<string>();
            }

            var acknowledged = new ConcurrentBag<(string Op, string Name)>();
            var failures = new ConcurrentBag<string>();
            var acked = 0;
            var chaosDone = false;
            CatalogNodeProcess? dying = null;
            var syncJobs = new ConcurrentBag<string>();

            CatalogNodeProcess PickNode(int n)
            {
                var nodes = live.Where(x => x is not null).ToArray();
                return nodes[n % nodes.Length]!;
            }

            async Task<bool> WriteAsync(int n, string op, object data, string name)
            {
                var node = PickNode(n);
                using var client = node.Sysadmin();
                try
                {
                    var response = await client.PostAsync(op, data);
                    if (response.Success)
                    {
                        acknowledged.Add((op, name));
                        Interlocked.Increment(ref acked);
                        return true;
                    }
                    failures.Add($"{op} {name} on {node.Name}: {(int)response.Status} {response.Body}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The node died under the request: not acknowledged, so it may or may not have happened.
                    if (!ReferenceEquals(node, Volatile.Read(ref dying)) && !node.HasExited) failures.Add($"{op} {name} on live {node.Name}: {e.Message}");
                }
                return false;
            }

            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var created = new List<string>();
                // Writing on until the killed node is back and the late one has joined.
                for (var j = 0; j < 500 && (j < MinCreatesPerWriter || !Volatile.Read(ref chaosDone)); j++)
                {
                    var name = $"nodes-{w}-{j}";
                    if (await WriteAsync(w + j, "package_create", new { name, title = $"データ {w}-{j}", owner_org = "nodes-org" }, name))
                        created.Add(name);
                    // Quick at first, then a trickle while nodes restart and join (slowly, on a busy machine).
                    await Task.Delay(j < MinCreatesPerWriter * 2 ? 250 : 2000);
                }
                // Patch one, delete another, of those acknowledged.
                if (created.Count > 1) await WriteAsync(w + 1, "package_patch", new { id = created[1], title = PatchedTitle }, created[1]);
                if (created.Count > 0) await WriteAsync(w + 2, "package_delete", new { id = created[0] }, created[0]);
            })).ToList();

            var chaos = Task.Run(async () =>
            {
                try
                {
                    await WaitForAsync(() => Volatile.Read(ref acked) >= 16);
                    using (var admin = live[1]!.Sysadmin())
                        syncJobs.Add((await admin.CallAsync("sync_run", new { target = SyncCalls.Target }))!["id"]!.GetValue<string>());
                    var victim = live[2]!;
                    Volatile.Write(ref dying, victim);
                    live[2] = null;
                    victim.Kill();
                    await WaitForAsync(() => Volatile.Read(ref acked) >= 32);
                    live[2] = await CatalogNodeProcess.StartAsync("node-2-again", Settings("node-2"));
                    started.Add(live[2]!);
                    live[3] = await CatalogNodeProcess.StartAsync("node-3", Settings("node-3"));
                    started.Add(live[3]!);
                    await Task.Delay(1000);
                }
                finally
                {
                    Volatile.Write(ref chaosDone, true);
                }
            });
            await Task.WhenAll(writers.Append(chaos));
            Assert.That(failures, Is.Empty, "writes to live nodes all succeed");

            // The harvest job, then a sync of everything.
            using var admin3 = live[3]!.Sysadmin();
            var harvest = await HarvestJobFinishedAsync(admin3, harvestJob);
            // A resumed job keeps what its first attempt recorded; a page written but not yet recorded when the node died is updated.
            Assert.That(HarvestCalls.Stat(harvest, "added") + HarvestCalls.Stat(harvest, "updated"),
                Is.EqualTo(Catalog.Tests.Harvest.SampleSiteHarvestTests.SamplePages), harvest.ToJsonString());
            Assert.That(HarvestCalls.Stat(harvest, "unchanged"), Is.EqualTo(0), "run twice, the second run would find them unchanged");
            Assert.That((await admin3.CallAsync("harvest_object_list", new { job_id = harvestJob }))!.AsArray(), Has.Count.EqualTo(Catalog.Tests.Harvest.SampleSiteHarvestTests.SamplePages));
            await SyncJobsFinishedAsync(admin3);
            syncJobs.Add((await admin3.CallAsync("sync_run", new { target = SyncCalls.Target }))!["id"]!.GetValue<string>());
            var syncs = await SyncJobsFinishedAsync(admin3);

            // The store's datasets, read straight from PostgreSQL.
            var (expected, patched) = await StoreDatasetsAsync(database.ConnectionString);
            var ackedOps = acknowledged.ToList();
            var ackedDeletes = ackedOps.Where(a => a.Op == "package_delete").Select(a => a.Name).ToHashSet();
            var ackedCreates = ackedOps.Where(a => a.Op == "package_create").Select(a => a.Name).ToHashSet();
            Assert.That(ackedCreates.Except(ackedDeletes).Except(expected), Is.Empty, "acknowledged creates are in the store");
            Assert.That(ackedDeletes.Intersect(expected), Is.Empty, "acknowledged deletes are gone");
            Assert.That(ackedOps.Where(a => a.Op == "package_patch").Select(a => a.Name).Except(patched), Is.Empty, "acknowledged patches are in the store");
            Assert.That(ackedCreates, Has.Count.GreaterThanOrEqualTo(Writers * MinCreatesPerWriter));

            foreach (var node in live)
            {
                using var admin = node!.Sysadmin();
                var names = await ConvergedAsync(admin, expected, "*:*");
                Assert.That(names, Is.EqualTo(expected), $"{node.Name}'s package_search");
                Assert.That(await ConvergedAsync(admin, patched, $"title:{PatchedTitle}"), Is.EqualTo(patched), $"{node.Name}'s patched datasets");
            }

            // Every job run to completion once: attempt 1 on one node, and attempt 2 only after the killed node held attempt 1.
            var killed = started.Where(n => n.HasExited).ToList();
            var resumed = false;
            void RanOnce(string line)
            {
                var first = started.Where(n => n.Lines.Any(l => l.Contains($"{line} claimed by this node (attempt 1)"))).ToList();
                Assert.That(first, Has.Count.EqualTo(1), $"{line}: attempt 1 on one node");
                Assert.That(started.Sum(n => n.Lines.Count(l => l.Contains($"{line} claimed by this node (attempt 1)"))), Is.EqualTo(1));
                var later = started.Sum(n => n.Lines.Count(l => l.Contains($"{line} claimed by this node (attempt")));
                var expectedRuns = killed.Contains(first[0]) ? 2 : 1;
                if (later == 2) resumed = true;
                Assert.That(later, Is.InRange(1, expectedRuns), $"{line}: a second attempt only when the first one's node was killed");
            }
            RanOnce($"Harvest job {harvestJob}");
            foreach (var job in syncJobs) RanOnce($"Sync job {job}");
            Assert.That(syncs, Has.Count.EqualTo(2));
            var written = syncs.Sum(j => SyncCalls.Stat(j, "created") + SyncCalls.Stat(j, "updated") + SyncCalls.Stat(j, "deleted"));
            // A killed attempt's writes are not in the finished job's counts: a resumed job may have been written more.
            if (resumed) Assert.That(proxy.Writes, Is.GreaterThanOrEqualTo(written), "every sync write counted was made");
            else Assert.That(proxy.Writes, Is.EqualTo(written), "each sync write made once");
            Assert.That(syncs.Sum(j => SyncCalls.Stat(j, "failed")), Is.EqualTo(0));
            Assert.That((await SyncCalls.RemoteDatasetsAsync(remote)).Keys, Has.Count.EqualTo(expected.Count), "the remote holds every dataset");
        }
        finally
        {
            foreach (var node in started) node.Dispose();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var until = DateTime.UtcNow.AddMinutes(5); !condition(); await Task.Delay(50))
            if (DateTime.UtcNow > until) throw new TimeoutException("The writers stalled");
    }

    private static async Task<JsonObject> HarvestJobFinishedAsync(CkanClient admin, string id)
    {
        for (var until = DateTime.UtcNow.AddMinutes(6); DateTime.UtcNow < until; await Task.Delay(200))
        {
            var job = (await admin.CallAsync("harvest_job_show", new { id }))!.AsObject();
            if (job["status"]!.GetValue<string>() is "Finished" or "Aborted") return job;
        }
        throw new TimeoutException($"Harvest job {id} did not finish");
    }

    /// <summary>Every sync job of the target once none is New or Running.</summary>
    private static async Task<List<JsonObject>> SyncJobsFinishedAsync(CkanClient admin)
    {
        for (var until = DateTime.UtcNow.AddMinutes(6); DateTime.UtcNow < until; await Task.Delay(200))
        {
            var jobs = (await admin.CallAsync("sync_status", new { target = SyncCalls.Target }))!["jobs"]!.AsArray()
                .Select(j => j!.AsObject()).ToList();
            if (jobs.All(j => j["status"]!.GetValue<string>() == "Finished")) return jobs;
        }
        throw new TimeoutException("Sync jobs did not finish");
    }

    private static async Task<(List<string> Active, List<string> Patched)> StoreDatasetsAsync(string connection)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Name", "Title" FROM package WHERE "State" = 'active'""", conn);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string Name, string? Title)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        return (rows.Select(r => r.Name).Order(StringComparer.Ordinal).ToList(),
            rows.Where(r => r.Title == PatchedTitle).Select(r => r.Name).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The node's search results once they equal <paramref name="expected"/>, or the last seen after a while.</summary>
    private static async Task<List<string>> ConvergedAsync(CkanClient client, List<string> expected, string q)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var names = new List<string>();
            for (var start = 0; ; start += 1000)
            {
                // A search over its time budget on the busy machine is a Search Error: asked again, not a failure.
                var response = await client.PostAsync("package_search", new { q, rows = 1000, start, include_private = true });
                if (!response.Success) { names.Clear(); break; }
                var page = response.Result!["results"]!.AsArray();
                names.AddRange(page.Select(r => r!["name"]!.GetValue<string>()));
                if (page.Count < 1000) break;
            }
            names.Sort(StringComparer.Ordinal);
            if (names.SequenceEqual(expected) || DateTime.UtcNow > deadline) return names;
            await Task.Delay(100);
        }
    }
}
