using System.Text.Json.Nodes;
using Catalog.Tests.Infrastructure;

namespace Catalog.Tests.Harvest;

/// <summary>
/// A <c>ckan</c> source harvesting a second instance of our own server on 127.0.0.1: package_search paged 100 at a
/// time in id order, filtered by organization, remote ids kept, then only what changed since the last clean run.
/// </summary>
public sealed class CkanSourceHarvestTests
{
    private static JsonObject Dataset(string name, string org, bool isPrivate = false) => new()
    {
        ["name"] = name,
        ["title"] = $"{name} の一覧",
        ["notes"] = "県内の一覧です。",
        ["owner_org"] = org,
        ["private"] = isPrivate,
        ["license_id"] = "cc-by-40-intl",
        ["tags"] = new JsonArray(new JsonObject { ["name"] = "防災" }),
        ["extras"] = new JsonArray(new JsonObject { ["key"] = "spatial", ["value"] = "三重県" }),
        ["resources"] = new JsonArray(new JsonObject
        {
            ["name"] = "一覧（CSV）", ["url"] = $"https://www.pref.mie.lg.jp/files/{name}.csv", ["format"] = "CSV", ["encoding"] = "shift_jis",
        }),
    };

    [Test]
    public async Task A_remote_catalog_is_paged_filtered_by_organization_kept_by_id_and_then_harvested_incrementally()
    {
        using var remote = new CatalogHost();
        var remoteAdmin = remote.Sysadmin();
        await remoteAdmin.CallAsync("organization_create", new { name = "bousai", title = "防災対策部" });
        await remoteAdmin.CallAsync("organization_create", new { name = "kenkou", title = "医療保健部" });
        await remoteAdmin.CallAsync("group_create", new { name = "disaster-prevention", title = "防災・災害" });
        const int Public = 103;
        for (var i = 0; i < Public; i++)
        {
            var d = Dataset($"240001_hinanjo_{i:000}", "bousai");
            if (i == 0) d["groups"] = new JsonArray(new JsonObject { ["name"] = "disaster-prevention" });
            await remoteAdmin.CallAsync("package_create", d);
        }
        await remoteAdmin.CallAsync("package_create", Dataset("240001_naibu", "bousai", isPrivate: true));
        await remoteAdmin.CallAsync("package_create", Dataset("240001_yakkyoku", "kenkou"));

        using var local = new CatalogHost(settings: HarvestCalls.FastHttp);
        var admin = local.Sysadmin();
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, new JsonObject
        {
            ["name"] = "remote-bousai", ["title"] = "他のCKAN（防災対策部）", ["url"] = remote.BaseUrl, ["source_type"] = "ckan",
            ["config"] = new JsonObject
            {
                ["allow_private_addresses"] = true, ["organizations"] = new JsonArray("bousai"), ["delete_missing"] = "delete",
            }.ToJsonString(),
        });

        // The incremental run asks from the first run's start cut to the whole second (a harmless overlap that can only
        // re-read datasets as unchanged), so the remote's last writes must lie a second before it for nothing to come.
        await Task.Delay(1100);
        var first = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(first["gather_errors"]!.AsArray(), Is.Empty, first.ToJsonString());
        Assert.That(HarvestCalls.Stat(first, "added"), Is.EqualTo(Public), "two pages of package_search; the private and the other organization's are not listed");
        Assert.That(HarvestCalls.Stat(first, "errored"), Is.Zero, first.ToJsonString());

        var theirs = (await remoteAdmin.CallAsync("package_show", new { id = "240001_hinanjo_000" }))!.AsObject();
        var ours = (await admin.CallAsync("package_show", new { id = "240001_hinanjo_000" }))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(ours["id"]!.GetValue<string>(), Is.EqualTo(theirs["id"]!.GetValue<string>()), "the remote id is kept");
            Assert.That(ours["title"]!.GetValue<string>(), Is.EqualTo("240001_hinanjo_000 の一覧"));
            Assert.That(ours["organization"]!["name"]!.GetValue<string>(), Is.EqualTo("bousai"));
            Assert.That(ours["organization"]!["title"]!.GetValue<string>(), Is.EqualTo("防災対策部"), "created from the remote's organization");
            Assert.That(ours["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "disaster-prevention" }));
            Assert.That(ours["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "防災" }));
            Assert.That(ours["resources"]![0]!["id"]!.GetValue<string>(), Is.EqualTo(theirs["resources"]![0]!["id"]!.GetValue<string>()));
            Assert.That(ours["resources"]![0]!["url"]!.GetValue<string>(), Is.EqualTo("https://www.pref.mie.lg.jp/files/240001_hinanjo_000.csv"));
            Assert.That(ours["resources"]![0]!["encoding"]!.GetValue<string>(), Is.EqualTo("shift_jis"));
            var extras = ours["extras"]!.AsArray().OfType<JsonObject>().ToDictionary(e => e["key"]!.GetValue<string>(), e => e["value"]!.GetValue<string>());
            Assert.That(extras["spatial"], Is.EqualTo("三重県"));
            Assert.That(extras["harvest_source_id"], Is.EqualTo(sourceId));
            Assert.That(extras["source_url"], Is.EqualTo($"{remote.BaseUrl}/dataset/240001_hinanjo_000"));
        });
        Assert.That((await admin.PostAsync("package_show", new { id = "240001_naibu" })).Status, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
        Assert.That((await admin.PostAsync("package_show", new { id = "240001_yakkyoku" })).Status, Is.EqualTo(System.Net.HttpStatusCode.NotFound));

        // After a clean run only what changed since is asked for: nothing, then the one dataset edited.
        var second = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(second, "added") + HarvestCalls.Stat(second, "updated") + HarvestCalls.Stat(second, "unchanged"), Is.Zero, second.ToJsonString());
        await Task.Delay(1100);
        await remoteAdmin.CallAsync("package_patch", new { id = "240001_hinanjo_050", title = "避難所一覧（改訂）" });
        var third = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(third, "updated"), Is.EqualTo(1), third.ToJsonString());
        Assert.That(HarvestCalls.Stat(third, "added") + HarvestCalls.Stat(third, "unchanged") + HarvestCalls.Stat(third, "deleted"), Is.Zero);
        var edited = (await admin.CallAsync("package_show", new { id = "240001_hinanjo_050" }))!.AsObject();
        Assert.That(edited["title"]!.GetValue<string>(), Is.EqualTo("避難所一覧（改訂）"));
        var objects = (await admin.CallAsync("harvest_object_list", new { job_id = third["id"]!.GetValue<string>() }))!.AsArray();
        Assert.That(objects.Select(o => o!["guid"]!.GetValue<string>()), Is.EqualTo(new[] { edited["id"]!.GetValue<string>() }));
    }

    [Test]
    public async Task An_address_that_is_not_a_catalog_ends_the_job_with_a_readable_error_and_imports_nothing()
    {
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var local = new CatalogHost(settings: HarvestCalls.FastHttp);
        var admin = local.Sysadmin();
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, new JsonObject
        {
            ["name"] = "not-ckan", ["url"] = site.BaseUrl, ["source_type"] = "ckan",
            ["config"] = new JsonObject { ["allow_private_addresses"] = true }.ToJsonString(),
        });
        var job = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("Finished"));
        Assert.That(job["gather_errors"]!.AsArray().Select(e => e!.ToJsonString()), Has.Some.Contains("could not be read"), job.ToJsonString());
        Assert.That(HarvestCalls.Stat(job, "added"), Is.Zero);
    }
}
