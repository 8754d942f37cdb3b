using System.Net;
using System.Text;
using Catalog.Core.Store;
using Catalog.Sync.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Catalog.Tests.Ckan;

/// <summary>
/// job_list/show/cancel/clear over the catalog's own waiting work: harvest jobs, sync runs and DataStore loads. The
/// runners are kept from starting so the jobs stay queued; a cancelled job is then never run by them.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class JobTests(TestStore store) : CatalogApiTests(store)
{
    private TestUser _user = null!;
    private string _datasetId = null!;

    protected override CatalogHost CreateHost() => new(
        store: Store,
        settings: new() { ["Catalog:Harvest:RunJobs"] = "false" },
        services: s =>
        {
            // The sync runner, and the DataStore loader (the one hosted service made by a factory).
            foreach (var d in s.Where(d => d.ServiceType == typeof(IHostedService)
                         && (d.ImplementationType == typeof(SyncJobService) || d.ImplementationFactory is not null)).ToList())
                s.Remove(d);
        });

    protected override async Task ArrangeAsync()
    {
        _user = await Fixtures.UserAsync("jobs-plain");
        await Fixtures.OrganizationAsync("jobs-org");
        _datasetId = (await Fixtures.DatasetAsync("jobs-ds", "jobs-org"))["id"]!.GetValue<string>();
    }

    private async Task<string> HarvestJobAsync(string name)
    {
        var source = await Admin.CallAsync("harvest_source_create", new { name, title = $"取得元 {name}", url = "http://127.0.0.1:9/", source_type = "web" });
        var job = await Admin.CallAsync("harvest_job_create", new { source_id = source!["id"]!.GetValue<string>() });
        return job!["id"]!.GetValue<string>();
    }

    private async Task<string> SyncJobAsync(string target)
    {
        using var scope = Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var job = new SyncJob { Id = Guid.NewGuid().ToString(), Target = target, Created = DateTime.UtcNow };
        db.SyncJobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    private async Task<string> UploadAsync(string name)
    {
        var r = await Admin.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = _datasetId, ["name"] = name, ["format"] = "CSV" },
            $"{name}.csv", Encoding.UTF8.GetBytes("市町村,人口\n津市,270000\n"));
        return r.Ok()!["id"]!.GetValue<string>();
    }

    [Test]
    public async Task List_shows_waiting_jobs_of_every_queue_in_CKANs_shape()
    {
        var harvest = await HarvestJobAsync("jobs-list-source");
        var sync = await SyncJobAsync("bodik-list");
        var upload = await UploadAsync("jobs-list");

        var all = await Admin.GetAsync("job_list");
        var jobs = all.Ok()!.AsArray();
        var byId = jobs.ToDictionary(j => j!["id"]!.GetValue<string>(), j => j!.AsObject());
        Assert.That(byId[harvest].Select(kv => kv.Key), Is.EqualTo(new[] { "id", "title", "created", "queue" }));
        Assert.That(byId[harvest]["queue"]!.GetValue<string>(), Is.EqualTo("harvest"));
        Assert.That(byId[harvest]["title"]!.GetValue<string>(), Is.EqualTo("Harvest 取得元 jobs-list-source"));
        Assert.That(byId[harvest]["created"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$"));
        Assert.That(byId[sync]["queue"]!.GetValue<string>(), Is.EqualTo("sync"));
        Assert.That(byId[upload]["queue"]!.GetValue<string>(), Is.EqualTo("datastore"));
        // Queue after queue, as CKAN lists them.
        var queues = jobs.Select(j => j!["queue"]!.GetValue<string>()).ToList();
        Assert.That(queues, Is.EqualTo(queues.OrderBy(q => Array.IndexOf(new[] { "harvest", "sync", "datastore" }, q)).ToList()));

        var syncOnly = (await Admin.CallAsync("job_list", new { queues = new[] { "sync" }, ids_only = true }))!.AsArray();
        Assert.That(syncOnly.Select(j => j!.GetValue<string>()), Does.Contain(sync).And.Not.Contain(harvest));
        Assert.That((await Admin.CallAsync("job_list", new { limit = 1 }))!.AsArray(), Has.Count.EqualTo(1));

        var shown = await Admin.PostAsync("job_show", new { id = sync });
        Golden.AssertMatches("job_show", shown.Envelope, Host.BaseUrl);
    }

    [Test]
    public async Task Cancel_takes_a_job_off_its_queue_for_good()
    {
        var harvest = await HarvestJobAsync("jobs-cancel-source");
        var sync = await SyncJobAsync("bodik-cancel");
        var upload = await UploadAsync("jobs-cancel");
        foreach (var id in new[] { harvest, sync, upload })
        {
            var r = await Admin.PostAsync("job_cancel", new { id });
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.OK), r.Body);
            Assert.That(r.Result, Is.Null);
            var gone = await Admin.PostAsync("job_show", new { id });
            Assert.That(gone.Status, Is.EqualTo(HttpStatusCode.NotFound), gone.Body);
            Assert.That(gone.ErrorType, Is.EqualTo("Not Found Error"));
        }
        // The harvest job is recorded as aborted, as harvest_job_abort leaves it; the sync run as finished, never run.
        Assert.That((await Admin.CallAsync("harvest_job_show", new { id = harvest }))!["status"]!.GetValue<string>(), Is.EqualTo("Aborted"));
        using var scope = Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var run = db.SyncJobs.Single(j => j.Id == sync);
        Assert.That((run.Status, run.Error), Is.EqualTo((SyncJobStatus.Finished, "Cancelled before it ran (job_cancel)")));

        var again = await Admin.PostAsync("job_cancel", new { id = harvest });
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.NotFound), again.Body);
    }

    [Test]
    public async Task Clear_empties_the_given_queues_and_names_them()
    {
        var harvest = await HarvestJobAsync("jobs-clear-source");
        var sync = await SyncJobAsync("bodik-clear");
        var cleared = await Admin.CallAsync("job_clear", new { queues = new[] { "sync" } });
        Assert.That(cleared!.AsArray().Select(q => q!.GetValue<string>()), Is.EqualTo(new[] { "sync" }));
        var left = (await Admin.CallAsync("job_list", new { ids_only = true }))!.AsArray().Select(j => j!.GetValue<string>()).ToList();
        Assert.That(left, Does.Contain(harvest).And.Not.Contain(sync));

        var all = await Admin.CallAsync("job_clear");
        Assert.That(all!.AsArray().Select(q => q!.GetValue<string>()), Is.EqualTo(new[] { "harvest", "sync", "datastore" }));
        Assert.That((await Admin.CallAsync("job_list"))!.AsArray(), Is.Empty);

        var unknown = await Admin.PostAsync("job_clear", new { queues = new[] { "default" } });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.Conflict), unknown.Body);
        Assert.That(unknown.ErrorType, Is.EqualTo("Validation Error"));
    }

    [TestCase("job_list")]
    [TestCase("job_show")]
    [TestCase("job_cancel")]
    [TestCase("job_clear")]
    public async Task Only_sysadmins_may_call(string action)
    {
        var id = await SyncJobAsync("bodik-auth-" + action);
        foreach (var client in new[] { Anon, _user.Client })
        {
            var r = await client.PostAsync(action, new { id });
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), r.Body);
            Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
        }
        Assert.That((await Admin.CallAsync("job_show", new { id }))!["id"]!.GetValue<string>(), Is.EqualTo(id));
    }
}
