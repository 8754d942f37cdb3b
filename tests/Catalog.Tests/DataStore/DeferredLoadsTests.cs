using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.DataStore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.DataStore;

/// <summary>
/// Loads held back by <see cref="IngestionQueue.Defer"/> (what a harvest job does while it runs) stay queued and run
/// once the last holder lets go; uploads are staged before the write's transaction and no staged copy is left behind.
/// </summary>
public sealed class DeferredLoadsTests : CatalogApiTests
{
    private readonly string _org = CatalogFixtures.Unique("defer-org");

    protected override Task ArrangeAsync() => Fixtures.OrganizationAsync(_org);

    private async Task<string> UploadAsync(string fileName, byte[] body)
    {
        var dataset = CatalogFixtures.Unique("defer-ds");
        await Fixtures.DatasetAsync(dataset, _org);
        var created = await Admin.MultipartAsync("resource_create", new Dictionary<string, string>
        {
            ["package_id"] = dataset, ["name"] = fileName, ["format"] = "CSV",
        }, fileName, body);
        return created.Ok()!["id"]!.GetValue<string>();
    }

    private async Task<IReadOnlyList<string>> WaitingLoadsAsync() =>
        (await Admin.CallAsync("job_list", new { queues = new[] { "datastore" }, ids_only = true }))!.AsArray()
            .Select(n => n!.GetValue<string>()).ToList();

    private async Task<string?> StateAsync(string resourceId)
    {
        var info = await Admin.PostAsync("datastore_info", new { id = resourceId });
        return info.Status == HttpStatusCode.OK ? info.Result!["meta"]!["ingestion"]?["state"]?.GetValue<string>() : null;
    }

    [Test]
    public async Task Loads_wait_while_deferred_and_run_when_the_last_deferral_ends()
    {
        var queue = Host.Services.GetRequiredService<IngestionQueue>();
        var first = queue.Defer();
        var second = queue.Defer();
        var id = await UploadAsync("deferred.csv", Encoding.UTF8.GetBytes("名称,値\n津市,1\n四日市市,2\n"));

        await Task.Delay(1500);
        Assert.That(await WaitingLoadsAsync(), Does.Contain(id), "queued, not loaded, while deferred");
        Assert.That(await StateAsync(id), Is.Not.EqualTo(IngestionQueue.Complete));
        first.Dispose();
        first.Dispose(); // a second dispose of one handle does not end the other's deferral
        await Task.Delay(1000);
        Assert.That(await WaitingLoadsAsync(), Does.Contain(id), "still deferred by the other holder");

        second.Dispose();
        for (var i = 0; i < 300 && await StateAsync(id) != IngestionQueue.Complete; i++) await Task.Delay(100);
        Assert.That(await StateAsync(id), Is.EqualTo(IngestionQueue.Complete));
        Assert.That(await WaitingLoadsAsync(), Does.Not.Contain(id));
        var rows = (await Admin.CallAsync("datastore_search", new { resource_id = id }))!["records"]!.AsArray();
        Assert.That(rows.Select(r => r!["名称"]!.GetValue<string>()), Is.EqualTo(new[] { "津市", "四日市市" }));
    }

    [Test]
    public async Task A_load_is_not_held_back_past_the_longest_deferral()
    {
        using var host = new CatalogHost(store: Store, settings: new() { ["Catalog:DataStore:MaxLoadDeferral"] = "00:00:01" });
        var admin = host.Sysadmin();
        var fixtures = new CatalogFixtures(host);
        var org = CatalogFixtures.Unique("defer-max");
        await fixtures.OrganizationAsync(org);
        var dataset = CatalogFixtures.Unique("defer-max-ds");
        await fixtures.DatasetAsync(dataset, org);
        using var job = host.Services.GetRequiredService<IngestionQueue>().Defer();
        var created = await admin.MultipartAsync("resource_create", new Dictionary<string, string>
        {
            ["package_id"] = dataset, ["name"] = "late.csv", ["format"] = "CSV",
        }, "late.csv", Encoding.UTF8.GetBytes("名称,値\n鈴鹿市,3\n"));
        var id = created.Ok()!["id"]!.GetValue<string>();

        string? state = null;
        for (var i = 0; i < 300 && state != IngestionQueue.Complete; i++)
        {
            await Task.Delay(100);
            var info = await admin.PostAsync("datastore_info", new { id });
            state = info.Status == HttpStatusCode.OK ? info.Result!["meta"]!["ingestion"]?["state"]?.GetValue<string>() : null;
        }
        Assert.That(state, Is.EqualTo(IngestionQueue.Complete), "loaded while the deferral is still held, once it waited its longest");
    }

    [Test]
    public async Task Staged_uploads_are_stored_or_refused_and_no_staged_copy_is_left()
    {
        var tmp = Path.Combine(Host.DataDir, "files", "tmp");
        var id = await UploadAsync("kept.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n"));
        var shown = (await Admin.CallAsync("resource_show", new { id }))!.AsObject();
        Assert.That(shown["size"]!.GetValue<long>(), Is.EqualTo(8));
        Assert.That(shown["hash"]!.GetValue<string>(), Has.Length.EqualTo(64));

        var dataset = CatalogFixtures.Unique("defer-bad");
        await Fixtures.DatasetAsync(dataset, _org);
        var refused = await Admin.MultipartAsync("resource_create", new Dictionary<string, string>
        {
            ["package_id"] = dataset, ["name"] = "not-a-table.csv",
        }, "not-a-table.csv", Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"));
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(refused.Error["upload"], Is.Not.Null);

        Assert.That(Directory.Exists(tmp) ? Directory.GetFiles(tmp) : [], Is.Empty, "no staged copy left behind");
    }
}
