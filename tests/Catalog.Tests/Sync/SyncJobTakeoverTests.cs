using System.Text.Json.Nodes;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Sync;

/// <summary>
/// A sync job whose node died holding it (Running, a lease nobody renews) is resumed by a live node once the lease
/// runs out, not before, and run to completion once: each dataset written to the remote once.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class SyncJobTakeoverTests(TestStore store)
{
    [Test]
    public async Task A_dead_nodes_sync_job_is_resumed_when_its_lease_runs_out_and_not_before()
    {
        using var remote = await SyncCalls.RemoteAsync();
        await using var proxy = await FaultProxy.StartAsync(remote.BaseUrl);
        var settings = SyncCalls.Settings(proxy.BaseUrl);
        settings["Catalog:Jobs:Lease"] = "00:00:03";
        settings["Catalog:Jobs:PollInterval"] = "00:00:00.200";
        using var local = new CatalogHost(settings: settings, store: store);
        var admin = local.Sysadmin();
        await admin.CallAsync("organization_create", new { name = "joho", title = "総務部情報政策課" });
        for (var i = 0; i < 6; i++) await admin.CallAsync("package_create", new { name = $"ds-{i}", title = $"データ{i}", owner_org = "joho" });

        var jobId = Guid.NewGuid().ToString();
        var leaseEnds = DateTime.UtcNow.AddSeconds(4);
        await using (var scope = local.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            db.SyncJobs.Add(new SyncJob
            {
                Id = jobId, Target = SyncCalls.Target, Status = SyncJobStatus.Running, Attempts = 1, LeaseUntil = leaseEnds,
                Created = DateTime.UtcNow, Started = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        while (DateTime.UtcNow < leaseEnds.AddSeconds(-1))
        {
            Assert.That((await JobAsync(local, jobId)).Attempts, Is.EqualTo(1), "not taken while the lease runs");
            await Task.Delay(200);
        }
        JsonObject? done = null;
        for (var until = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < until; await Task.Delay(100))
        {
            done = (await admin.CallAsync("sync_status", new { target = SyncCalls.Target }))!["jobs"]!.AsArray()
                .Select(j => j!.AsObject()).Single(j => j["id"]!.GetValue<string>() == jobId);
            if (done["status"]!.GetValue<string>() == "Finished") break;
        }
        Assert.That(done!["status"]!.GetValue<string>(), Is.EqualTo("Finished"), done.ToJsonString());
        var job = await JobAsync(local, jobId);
        Assert.That(job.Attempts, Is.EqualTo(2));
        Assert.That(job.Error, Is.Null);
        Assert.That(job.Finished, Is.GreaterThan(leaseEnds));
        Assert.That(SyncCalls.Stat(done, "created"), Is.EqualTo(6), done.ToJsonString());
        Assert.That(proxy.Writes, Is.EqualTo(6), "each dataset written once");
        Assert.That((await SyncCalls.RemoteDatasetsAsync(remote)).Keys, Has.Count.EqualTo(6));
    }

    private static async Task<SyncJob> JobAsync(CatalogHost node, string jobId)
    {
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().SyncJobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
    }
}
