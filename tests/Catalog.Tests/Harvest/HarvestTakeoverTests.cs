using System.Text.Json.Nodes;
using Catalog.Core.Store;
using Catalog.Harvester.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Harvest;

/// <summary>
/// Two nodes on one store: a harvest job whose node stopped (handing it on) or died (its lease ran out) is resumed by
/// the other and run to completion once, as its next attempt, with one dataset and one harvest object per page.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class HarvestTakeoverTests(TestStore store)
{
    private static Dictionary<string, string?> Settings(bool runJobs) => new(HarvestCalls.FastHttp)
    {
        ["Catalog:Harvest:RunJobs"] = runJobs ? "true" : "false",
        ["Catalog:Jobs:Lease"] = "00:00:03",
        ["Catalog:Jobs:PollInterval"] = "00:00:00.200",
    };

    [Test]
    public async Task A_job_its_node_stopped_in_the_middle_is_finished_by_another_without_duplicates()
    {
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var shared = new SharedStore(store);
        string jobId;
        int recordedByFirst;
        using (var a = shared.Node(Settings(runJobs: false)))
        {
            var admin = a.Sysadmin();
            var sourceId = await HarvestCalls.CreateSourceAsync(admin, HarvestCalls.SampleSource(site));
            jobId = (await admin.CallAsync("harvest_job_create", new { source_id = sourceId }))!["id"]!.GetValue<string>();
            using var stop = new CancellationTokenSource();
            await Assert.CatchAsync<OperationCanceledException>(() => a.Services.GetRequiredService<HarvestRunner>().RunAsync(jobId,
                line => { if (line.StartsWith("[5/", StringComparison.Ordinal)) stop.Cancel(); }, stop.Token, releaseOnStop: true));
            var job = await JobAsync(a, jobId);
            Assert.That((job.Status, job.Attempts), Is.EqualTo((HarvestJobStatus.Running, 1)), "handed on, not finished");
            recordedByFirst = await ObjectsAsync(a, jobId);
            Assert.That(recordedByFirst, Is.InRange(1, SampleSiteHarvestTests.SamplePages - 1));
        }

        using var b = shared.Node(Settings(runJobs: true));
        var finished = await FinishedAsync(b, jobId);
        AssertRanToCompletionOnce(finished, await JobAsync(b, jobId), expectedAttempts: 2);
        Assert.That(await ObjectsAsync(b, jobId), Is.EqualTo(SampleSiteHarvestTests.SamplePages), "one object per page");
        await AssertOneDatasetPerPageAsync(b);
    }

    [Test]
    public async Task A_dead_nodes_job_is_resumed_when_its_lease_runs_out_and_not_before()
    {
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var shared = new SharedStore(store);
        using var a = shared.Node(Settings(runJobs: false));
        var admin = a.Sysadmin();
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, HarvestCalls.SampleSource(site));
        var jobId = (await admin.CallAsync("harvest_job_create", new { source_id = sourceId }))!["id"]!.GetValue<string>();
        // Node A took the job and died at once: Running, attempt 1, a lease nobody will renew.
        var leaseEnds = DateTime.UtcNow.AddSeconds(4);
        await using (var scope = a.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await db.HarvestJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, HarvestJobStatus.Running)
                .SetProperty(j => j.Attempts, 1).SetProperty(j => j.LeaseUntil, leaseEnds).SetProperty(j => j.GatherStarted, DateTime.UtcNow));
        }

        using var b = shared.Node(Settings(runJobs: true));
        while (DateTime.UtcNow < leaseEnds.AddSeconds(-1))
        {
            Assert.That((await JobAsync(b, jobId)).Attempts, Is.EqualTo(1), "not taken while the lease runs");
            await Task.Delay(200);
        }
        var finished = await FinishedAsync(b, jobId);
        var job = await JobAsync(b, jobId);
        AssertRanToCompletionOnce(finished, job, expectedAttempts: 2);
        Assert.That(HarvestCalls.Stat(finished, "added"), Is.EqualTo(SampleSiteHarvestTests.SamplePages));
        Assert.That(job.Finished, Is.GreaterThan(leaseEnds));
        await AssertOneDatasetPerPageAsync(b);
    }

    private static void AssertRanToCompletionOnce(JsonObject shown, HarvestJob job, int expectedAttempts)
    {
        Assert.That(shown["status"]!.GetValue<string>(), Is.EqualTo("Finished"), shown.ToJsonString());
        Assert.That(shown["gather_errors"]!.AsArray(), Is.Empty, shown.ToJsonString());
        Assert.That(job.Attempts, Is.EqualTo(expectedAttempts));
        // Pages the first attempt recorded keep their outcome; the rest are imported by the second.
        Assert.That(HarvestCalls.Stat(shown, "added") + HarvestCalls.Stat(shown, "updated"), Is.EqualTo(SampleSiteHarvestTests.SamplePages), shown.ToJsonString());
        Assert.That(HarvestCalls.Stat(shown, "errored"), Is.EqualTo(0), shown.ToJsonString());
    }

    private static async Task AssertOneDatasetPerPageAsync(CatalogHost node)
    {
        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var names = await db.Packages.Where(p => p.State == ObjectState.Active).Select(p => p.Name).ToListAsync();
        Assert.That(names, Has.Count.EqualTo(SampleSiteHarvestTests.SamplePages));
        Assert.That(names, Is.Unique);
    }

    private static async Task<HarvestJob> JobAsync(CatalogHost node, string jobId)
    {
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().HarvestJobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
    }

    private static async Task<int> ObjectsAsync(CatalogHost node, string jobId)
    {
        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var guids = await db.HarvestObjects.Where(o => o.JobId == jobId).Select(o => o.Guid).ToListAsync();
        Assert.That(guids, Is.Unique, "no page recorded twice");
        return guids.Count;
    }

    private static async Task<JsonObject> FinishedAsync(CatalogHost node, string jobId)
    {
        var admin = node.Sysadmin();
        for (var until = DateTime.UtcNow.AddSeconds(300); DateTime.UtcNow < until; await Task.Delay(100))
        {
            var shown = (await admin.CallAsync("harvest_job_show", new { id = jobId }))!.AsObject();
            if (shown["status"]!.GetValue<string>() is "Finished" or "Aborted") return shown;
        }
        throw new TimeoutException($"Harvest job {jobId} did not finish");
    }
}
