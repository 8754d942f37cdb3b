using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core.Store;
using Catalog.Harvester.Jobs;
using Catalog.Harvester.Parsing;
using Catalog.Harvester.Profiling;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Harvest;

/// <summary>The harvest actions' rules: sysadmins only, validated config, one job per source, interrupted jobs finished.</summary>
public sealed class HarvestActionTests
{
    /// <summary>The job service kept still: these sources point at the real site, which tests must not fetch.</summary>
    private static readonly Dictionary<string, string?> NoJobs = new() { ["Catalog:Harvest:RunJobs"] = "false" };

    private static object Source(string name, string? config = null) => new
    {
        name, url = "https://www.pref.mie.lg.jp/index.shtm", source_type = "web", title = "三重県", frequency = "WEEKLY", config,
    };

    [Test]
    public async Task Every_harvest_action_is_for_sysadmins_only()
    {
        using var host = new CatalogHost();
        var user = await new CatalogFixtures(host).UserAsync(CatalogFixtures.Unique("staff"));
        foreach (var action in new[] { "harvest_source_create", "harvest_source_show", "harvest_source_list", "harvest_source_update",
                     "harvest_source_delete", "harvest_job_create", "harvest_job_show", "harvest_job_list", "harvest_job_abort",
                     "harvest_object_show", "harvest_object_list" })
        {
            Assert.That((await user.Client.PostAsync(action, new { id = "x" })).Status, Is.EqualTo(HttpStatusCode.Forbidden), action);
            Assert.That((await host.Client().PostAsync(action, new { id = "x" })).Status, Is.EqualTo(HttpStatusCode.Forbidden), action);
        }
    }

    [Test]
    public async Task Sources_are_created_shown_listed_updated_and_deleted()
    {
        using var host = new CatalogHost(settings: NoJobs);
        var admin = host.Sysadmin();
        var created = (await admin.CallAsync("harvest_source_create", Source("mie", """{"max_depth": 2}""")))!.AsObject();
        Assert.That(created["frequency"]!.GetValue<string>(), Is.EqualTo("WEEKLY"));
        Assert.That(created["config"]!.GetValue<string>(), Is.EqualTo("""{"max_depth": 2}"""));

        var shown = (await admin.CallAsync("harvest_source_show", new { id = "mie" }))!.AsObject();
        Assert.That(shown["id"]!.GetValue<string>(), Is.EqualTo(created["id"]!.GetValue<string>()));
        var updated = (await admin.CallAsync("harvest_source_update", new { id = "mie", frequency = "DAILY" }))!.AsObject();
        Assert.That(updated["frequency"]!.GetValue<string>(), Is.EqualTo("DAILY"));
        Assert.That(updated["url"]!.GetValue<string>(), Is.EqualTo("https://www.pref.mie.lg.jp/index.shtm"));
        Assert.That((await admin.CallAsync("harvest_source_list"))!.AsArray(), Has.Count.EqualTo(1));

        await admin.CallAsync("harvest_source_delete", new { id = "mie" });
        Assert.That((await admin.PostAsync("harvest_source_show", new { id = "mie" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await admin.CallAsync("harvest_source_list"))!.AsArray(), Is.Empty);
    }

    [TestCase("{not json")]
    [TestCase("""{"allow_private_addresses": "yes"}""")]
    [TestCase("""{"max_depth": 99}""")]
    [TestCase("""{"unknown_key": 1}""")]
    [TestCase("""{"delete_missing": "purge"}""")]
    [TestCase("[1, 2]")]
    public async Task A_bad_config_is_a_validation_error_on_config(string config)
    {
        using var host = new CatalogHost(settings: NoJobs);
        var response = await host.Sysadmin().PostAsync("harvest_source_create", Source("bad", config));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Conflict), response.Body);
        Assert.That(response.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(response.Error["config"], Is.Not.Null, response.Body);
    }

    [Test]
    public async Task Other_fields_are_validated()
    {
        using var host = new CatalogHost();
        var response = await host.Sysadmin().PostAsync("harvest_source_create",
            new { name = "Bad Name", url = "ftp://example.com/", source_type = "dcat_rdf", frequency = "YEARLY", owner_org = "nobody" });
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Conflict));
        foreach (var key in new[] { "name", "url", "source_type", "frequency", "owner_org" })
            Assert.That(response.Error[key], Is.Not.Null, key);
    }

    [Test]
    public async Task One_waiting_job_per_source_and_it_can_be_aborted()
    {
        using var host = new CatalogHost(settings: NoJobs);
        var admin = host.Sysadmin();
        await admin.CallAsync("harvest_source_create", Source("mie"));
        var job = (await admin.CallAsync("harvest_job_create", new { source_id = "mie" }))!.AsObject();
        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("New"));
        var again = await admin.PostAsync("harvest_job_create", new { source_id = "mie" });
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Conflict), again.Body);

        var aborted = (await admin.CallAsync("harvest_job_abort", new { source_id = "mie" }))!.AsObject();
        Assert.That(aborted["status"]!.GetValue<string>(), Is.EqualTo("Aborted"));
        var listed = (await admin.CallAsync("harvest_job_list", new { source_id = "mie" }))!.AsArray();
        Assert.That(listed, Has.Count.EqualTo(1));
        await admin.CallAsync("harvest_job_create", new { source_id = "mie" });
    }

    [Test]
    public async Task A_job_left_running_by_a_stopped_process_in_its_last_attempt_is_finished_with_an_error_at_start()
    {
        var dataDir = CatalogHost.NewDataDir();
        try
        {
            string jobId;
            using (var first = new CatalogHost(settings: new() { ["Catalog:Harvest:RunJobs"] = "false" }, dataDir: dataDir))
            {
                var admin = first.Sysadmin();
                await admin.CallAsync("harvest_source_create", Source("mie"));
                jobId = (await admin.CallAsync("harvest_job_create", new { source_id = "mie" }))!["id"]!.GetValue<string>();
                using var scope = first.Services.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
                var job = db.HarvestJobs.Single(j => j.Id == jobId);
                job.Status = HarvestJobStatus.Running;
                // Its last attempt: with attempts left it would be resumed (HarvestTakeoverTests).
                job.Attempts = 3;
                await db.SaveChangesAsync();
            }
            // This host runs jobs: the source's last job is recent, so none is due, and the interrupted one is finished.
            using var second = new CatalogHost(dataDir: dataDir);
            var until = DateTime.UtcNow.AddSeconds(20);
            JsonObject shown;
            do
            {
                shown = (await second.Sysadmin().CallAsync("harvest_job_show", new { id = jobId }))!.AsObject();
                if (shown["status"]!.GetValue<string>() != "Running") break;
                await Task.Delay(100);
            } while (DateTime.UtcNow < until);
            Assert.That(shown["status"]!.GetValue<string>(), Is.EqualTo("Finished"));
            Assert.That(shown["gather_errors"]![0]!["message"]!.GetValue<string>(), Does.Contain("Interrupted"));
        }
        finally
        {
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
    }

    [TestCase("最終更新日：令和６年４月１日", "2024-04-01")]
    [TestCase("令和元年5月7日", "2019-05-07")]
    [TestCase("平成30年11月22日", "2018-11-22")]
    [TestCase("R5.12.1", "2023-12-01")]
    [TestCase("２０２４年３月２９日", "2024-03-29")]
    [TestCase("2024/1/5", "2024-01-05")]
    public void Japanese_dates_are_read(string text, string expected) =>
        Assert.That(JapaneseDates.Find(text)?.ToString("yyyy-MM-dd"), Is.EqualTo(expected));

    [Test]
    public void Encodings_are_detected()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var sjis = System.Text.Encoding.GetEncoding(932);
        Assert.Multiple(() =>
        {
            Assert.That(FileProfiler.DetectEncoding("名称,住所\n津市,広明町\n"u8.ToArray()), Is.EqualTo("utf-8"));
            Assert.That(FileProfiler.DetectEncoding([0xEF, 0xBB, 0xBF, .. "名称\n"u8.ToArray()]), Is.EqualTo("utf-8_sig"));
            Assert.That(FileProfiler.DetectEncoding(sjis.GetBytes("名称,住所\n津市,広明町\n")), Is.EqualTo("shift_jis"));
            // 髙 in the IBM row (Windows) and in the NEC-selected row (other encoders).
            Assert.That(FileProfiler.DetectEncoding([.. sjis.GetBytes("名称\n"), 0xFB, 0xFC, .. sjis.GetBytes("田\n")]), Is.EqualTo("cp932"));
            Assert.That(FileProfiler.DetectEncoding([.. sjis.GetBytes("名称\n"), 0xEE, 0xE0, .. sjis.GetBytes("田\n")]), Is.EqualTo("cp932"));
            Assert.That(FileProfiler.DetectEncoding(System.Text.Encoding.GetEncoding(51932).GetBytes("施設名称,業種,所在地\n食堂みえ,飲食店営業,津市\n")), Is.EqualTo("euc_jp"));
        });
    }
}
