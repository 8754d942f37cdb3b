using System.Text.Json.Nodes;
using Catalog.Sync.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Sync;

/// <summary>A sync job runs once however many runners (nodes) reach for it; a cron schedule creates jobs by itself.</summary>
public sealed class SyncJobClaimTests
{
    [Test]
    public async Task Of_several_runners_reaching_for_one_job_only_one_runs_it()
    {
        using var remote = await SyncCalls.RemoteAsync();
        await using var proxy = await FaultProxy.StartAsync(remote.BaseUrl);
        using var local = new CatalogHost(settings: SyncCalls.Settings(proxy.BaseUrl));
        var admin = local.Sysadmin();
        await admin.CallAsync("organization_create", new { name = "joho", title = "総務部情報政策課" });
        for (var i = 0; i < 6; i++) await admin.CallAsync("package_create", new { name = $"ds-{i}", title = $"データ{i}", owner_org = "joho" });
        var runner = local.Services.GetRequiredService<SyncRunner>();

        var job = (await admin.CallAsync("sync_run", new { target = SyncCalls.Target }))!["id"]!.GetValue<string>();
        // Four runners at once, besides the host's own job service, which may take it first.
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => runner.RunAsync(job))));
        Assert.That(claims.Count(c => c), Is.LessThanOrEqualTo(1));

        JsonObject? done = null;
        for (var until = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < until; await Task.Delay(100))
        {
            var status = (await admin.CallAsync("sync_status", new { target = SyncCalls.Target }))!;
            done = status["jobs"]!.AsArray().Single()!.AsObject();
            if (done["status"]!.GetValue<string>() == "Finished") break;
        }
        Assert.That(done!["status"]!.GetValue<string>(), Is.EqualTo("Finished"));
        Assert.That(SyncCalls.Stat(done, "created"), Is.EqualTo(6), done.ToJsonString());
        Assert.That(proxy.Writes, Is.EqualTo(6), "each dataset written once");
        Assert.That((await SyncCalls.RemoteDatasetsAsync(remote)).Keys, Has.Count.EqualTo(6));
    }

    [Test]
    public async Task A_target_with_a_cron_schedule_gets_its_jobs_without_being_asked()
    {
        var settings = SyncCalls.Settings("http://127.0.0.1:9/", allowPrivate: false);
        settings["Catalog:Sync:Targets:0:Schedule"] = "*/5 * * * *";
        using var local = new CatalogHost(settings: settings);
        var admin = local.Sysadmin();
        JsonArray jobs = [];
        for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until && jobs.Count == 0; await Task.Delay(100))
            jobs = (await admin.CallAsync("sync_status", new { target = SyncCalls.Target }))!["jobs"]!.AsArray();
        Assert.That(jobs, Has.Count.EqualTo(1), "a schedule never run is due at start");
        var list = (await admin.CallAsync("sync_target_list"))!.AsArray();
        Assert.That(list.Single()!["schedule"]!.GetValue<string>(), Is.EqualTo("*/5 * * * *"));
    }
}
