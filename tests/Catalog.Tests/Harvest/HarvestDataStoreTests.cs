using System.Text.Json.Nodes;
using Catalog.Tests.Infrastructure;

namespace Catalog.Tests.Harvest;

/// <summary>
/// Harvested CSV files and workbooks go the uploads' way into the DataStore: stored as the resource's file, queued by the upload,
/// loaded in the background (Shift_JIS read as such, footnotes set aside), and loaded again when the file changes.
/// </summary>
public sealed class HarvestDataStoreTests
{
    private static async Task<JsonObject> ActiveAsync(CkanClient admin, string resourceId, Func<JsonObject, bool>? until = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var r = (await admin.CallAsync("resource_show", new { id = resourceId }))!.AsObject();
            if (r["datastore_active"]?.GetValue<bool>() == true && (until is null || until(r))) return r;
            if (DateTime.UtcNow > deadline) Assert.Fail($"datastore_active never became true: {r.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    [Test]
    public async Task Harvested_csv_files_are_loaded_into_the_datastore_and_reloaded_when_they_change()
    {
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var host = new CatalogHost(settings: HarvestCalls.FastHttp);
        var admin = host.Sysadmin();
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, HarvestCalls.SampleSource(site));
        var job = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(job, "errored"), Is.Zero, job.ToJsonString());

        // Shift_JIS with 髙 (CP932): the pharmacies.
        var pharmacy = (await admin.CallAsync("package_show", new { id = "240001_yakumus_hp_m0068000066_00011" }))!.AsObject();
        var csv = SampleSiteHarvestTests.Resource(pharmacy, "/common/content/001100030.csv");
        await ActiveAsync(admin, csv["id"]!.GetValue<string>());
        var rows = (await admin.CallAsync("datastore_search", new { resource_id = csv["id"]!.GetValue<string>() }))!.AsObject();
        Assert.That(rows["total"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(rows["records"]![0]!["名称"]!.GetValue<string>(), Is.EqualTo("髙田薬局"));

        // A generated page's CSV of 29 市町 with two ※ footnote rows under it.
        var factories = (await admin.CallAsync("package_show", new { id = "240001_shoko_hp_m0103000001_00001" }))!.AsObject();
        var factoriesCsv = SampleSiteHarvestTests.Resource(factories, "/common/content/001100201.csv");
        await ActiveAsync(admin, factoriesCsv["id"]!.GetValue<string>());
        var loaded = (await admin.CallAsync("datastore_search", new { resource_id = factoriesCsv["id"]!.GetValue<string>(), limit = 100 }))!.AsObject();
        var names = loaded["records"]!.AsArray().Select(r => r!["市町"]!.GetValue<string>()).ToList();
        Assert.That(names, Does.Contain("津市").And.Contain("紀宝町"));
        Assert.That(names, Has.None.StartsWith("※"), "footnotes are not rows");

        // The same table as an XLSX workbook (a title row above the header) is stored and loaded like the CSV.
        var xlsx = SampleSiteHarvestTests.Resource(factories, "/common/content/001100202.xlsx");
        Assert.That(xlsx["url_type"]!.GetValue<string>(), Is.EqualTo("upload"));
        await ActiveAsync(admin, xlsx["id"]!.GetValue<string>());
        var sheet = (await admin.CallAsync("datastore_search", new { resource_id = xlsx["id"]!.GetValue<string>(), limit = 100 }))!.AsObject();
        var towns = sheet["records"]!.AsArray().Select(r => r!["市町"]?.GetValue<string>()).ToList();
        // 29 市町; the workbook's 「注記」 sheet (項目/説明: 出典 三重県) is notes, not a 30th row.
        Assert.That(towns, Has.Count.EqualTo(29), sheet.ToJsonString());
        Assert.That(towns, Has.All.Not.Null);
        Assert.That(towns, Does.Contain("津市").And.Contain("紀宝町"));
        Assert.That(sheet["fields"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()), Does.Contain("事業所数").And.Contain("従業者数"));

        // The file changes on the site: the next run stores it and the DataStore loads the new rows.
        var helicopter = (await admin.CallAsync("package_show", new { id = "240001_bousai_hp_m0031000012_00080" }))!.AsObject();
        var heliId = SampleSiteHarvestTests.Resource(helicopter, "/common/content/001100010.csv")["id"]!.GetValue<string>();
        await ActiveAsync(admin, heliId);
        var before = (await admin.CallAsync("datastore_search", new { resource_id = heliId }))!["total"]!.GetValue<int>();
        await File.WriteAllTextAsync(site.File("common/content/001100010.csv"),
            "年度,救急,救助,火災,合計\n令和3年度,120,45,12,177\n令和4年度,131,50,9,190\n令和5年度,140,52,10,202\n");
        var second = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(second, "updated"), Is.EqualTo(1), second.ToJsonString());
        var deadline = DateTime.UtcNow.AddSeconds(60);
        int after;
        do
        {
            await Task.Delay(200);
            after = (await admin.CallAsync("datastore_search", new { resource_id = heliId }))!["total"]!.GetValue<int>();
        } while (after == before && DateTime.UtcNow < deadline);
        Assert.That(after, Is.EqualTo(3));

        // An unchanged run stores nothing again: the resource keeps its file.
        var hashBefore = (await admin.CallAsync("resource_show", new { id = heliId }))!["hash"]!.GetValue<string>();
        var third = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(third, "updated") + HarvestCalls.Stat(third, "added"), Is.Zero, third.ToJsonString());
        Assert.That((await admin.CallAsync("resource_show", new { id = heliId }))!["hash"]!.GetValue<string>(), Is.EqualTo(hashBefore));
    }
}
