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

        var until = DateTime.UtcNow.AddSeconds(90);
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
        Assert.That(HarvestCalls.Stat(job, "added"), Is.EqualTo(12), job.ToJsonString());
        Assert.That(HarvestCalls.Stat(job, "unchanged"), Is.EqualTo(0), job.ToJsonString());
        var objects = await admin.CallAsync("harvest_object_list", new { job_id = jobId });
        Assert.That(objects!.AsArray(), Has.Count.EqualTo(12));
    }
}
