using System.Text.Json.Nodes;
using Catalog.Harvester.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Harvest;

/// <summary>A job runs once however many runners (nodes) reach for it at the same moment.</summary>
public sealed class HarvestJobClaimTests
{
    [Test]
    public async Task Of_several_runners_reaching_for_one_job_only_one_runs_it()
    {
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var host = new CatalogHost(settings: HarvestCalls.FastHttp);
        var admin = host.Sysadmin();
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, HarvestCalls.SampleSource(site));
        var runner = host.Services.GetRequiredService<HarvestRunner>();

        var created = await admin.CallAsync("harvest_job_create", new { source_id = sourceId });
        var jobId = created!["id"]!.GetValue<string>();
        // Four runners at once, besides the host's own job service, which may take it first.
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => runner.RunAsync(jobId))));
        Assert.That(claims.Count(c => c), Is.LessThanOrEqualTo(1));

        var until = DateTime.UtcNow.AddSeconds(300);
        System.Text.Json.Nodes.JsonObject job;
        do
        {
            job = (await admin.CallAsync("harvest_job_show", new { id = jobId }))!.AsObject();
            if (job["status"]!.GetValue<string>() == "Finished") break;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);

        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("Finished"));
        // Run twice, the second run would have found every dataset unchanged; once, all twelve are added.
        Assert.That(HarvestCalls.Stat(job, "added"), Is.EqualTo(SampleSiteHarvestTests.SamplePages), job.ToJsonString());
        Assert.That(HarvestCalls.Stat(job, "unchanged"), Is.EqualTo(0), job.ToJsonString());
        var objects = await admin.CallAsync("harvest_object_list", new { job_id = jobId });
        Assert.That(objects!.AsArray(), Has.Count.EqualTo(SampleSiteHarvestTests.SamplePages));
    }
}

/// <summary>
/// A running job whose runner stopped renewing its lease is resumed by the next node to look, while it has attempts
/// left; after its last attempt it is finished with an error. Jobs another live node holds are left alone.
/// </summary>
public sealed class HarvestJobLeaseTests
{
    [Test]
    public async Task Only_jobs_whose_lease_ran_out_are_resumed_and_only_exhausted_ones_are_finished()
    {
        using var host = new CatalogHost(settings: new() { ["Catalog:Harvest:RunJobs"] = "false" });
        var admin = host.Sysadmin();
        var ids = new List<string>();
        foreach (var name in new[] { "lease-live", "lease-dead-last", "lease-none-last", "lease-dead-first" })
        {
            await admin.CallAsync("harvest_source_create", new { name, title = name, url = "https://www.pref.mie.lg.jp/", source_type = "web" });
            ids.Add((await admin.CallAsync("harvest_job_create", new { source_id = name }))!["id"]!.GetValue<string>());
        }
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Catalog.Core.Store.CatalogDbContext>();
            var now = DateTime.UtcNow;
            DateTime?[] leases = [now.AddMinutes(1), now.AddMinutes(-1), null, now.AddMinutes(-1)];
            int[] attempts = [1, 3, 3, 1];
            for (var i = 0; i < ids.Count; i++)
            {
                var job = db.HarvestJobs.Single(j => j.Id == ids[i]);
                job.Status = Catalog.Core.Store.HarvestJobStatus.Running;
                job.LeaseUntil = leases[i];
                job.Attempts = attempts[i];
            }
            await db.SaveChangesAsync();
        }
        var leasesOfJobs = host.Services.GetRequiredService<HarvestRunner>().Leases;

        var failed = await leasesOfJobs.FailExhaustedAsync(CancellationToken.None);

        Assert.That(failed, Is.EqualTo(2));
        async Task<JsonObject> Show(string id) => (await admin.CallAsync("harvest_job_show", new { id }))!.AsObject();
        Assert.That((await Show(ids[0]))["status"]!.GetValue<string>(), Is.EqualTo("Running"), "another node's live job keeps running");
        Assert.That((await Show(ids[1]))["status"]!.GetValue<string>(), Is.EqualTo("Finished"));
        Assert.That((await Show(ids[1]))["gather_errors"]![0]!["message"]!.GetValue<string>(), Does.Contain("Interrupted"));
        Assert.That((await Show(ids[2]))["status"]!.GetValue<string>(), Is.EqualTo("Finished"));
        Assert.That((await Show(ids[3]))["status"]!.GetValue<string>(), Is.EqualTo("Running"), "a dead node's job with attempts left waits to be resumed");
        Assert.That(await leasesOfJobs.NextAsync(CancellationToken.None), Is.EqualTo(ids[3]));
        Assert.That(await leasesOfJobs.ClaimAsync(ids[0], CancellationToken.None), Is.Null, "a live lease is never taken");
        Assert.That(await leasesOfJobs.ClaimAsync(ids[3], CancellationToken.None), Is.EqualTo(2));
        Assert.That(await leasesOfJobs.ClaimAsync(ids[3], CancellationToken.None), Is.Null, "resumed once");
    }
}
