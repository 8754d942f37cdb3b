using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Harvest;

/// <summary>samples/site harvested from a local server: what lands in the catalog, field by field, and re-runs.</summary>
public sealed class SampleSiteHarvestTests
{
    /// <summary>Department pages in samples/site (samples/make_site.py writes them).</summary>
    public const int SamplePages = 36;

    /// <summary>The resource of a file linked from the page: a link, or a stored copy that keeps the link as source_url.</summary>
    internal static JsonObject Resource(JsonObject dataset, string urlEnd) =>
        dataset["resources"]!.AsArray().OfType<JsonObject>().Single(r =>
            (r["source_url"]?.GetValue<string>() ?? r["url"]!.GetValue<string>()).EndsWith(urlEnd, StringComparison.Ordinal));

    private static string? Extra(JsonObject dataset, string key) =>
        dataset["extras"]!.AsArray().OfType<JsonObject>().FirstOrDefault(e => e["key"]!.GetValue<string>() == key)?["value"]?.GetValue<string>();

    [Test]
    public async Task The_sample_site_is_imported_field_by_field()
    {
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var host = new CatalogHost(settings: HarvestCalls.FastHttp);
        var admin = host.Sysadmin();
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, HarvestCalls.SampleSource(site));
        var job = await HarvestCalls.RunAsync(admin, sourceId);

        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("Finished"));
        Assert.That(job["gather_errors"]!.AsArray(), Is.Empty);
        Assert.That(HarvestCalls.Stat(job, "added"), Is.EqualTo(SamplePages), job.ToJsonString());
        Assert.That(HarvestCalls.Stat(job, "errored"), Is.EqualTo(0), job.ToJsonString());

        var shelters = (await admin.CallAsync("package_show", new { id = "240001_bousai_hp_m0031000012_00074" }))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(shelters["title"]!.GetValue<string>(), Is.EqualTo("指定緊急避難場所一覧"));
            Assert.That(shelters["notes"]!.GetValue<string>(), Does.StartWith("県内市町が指定する"));
            Assert.That(shelters["organization"]!["name"]!.GetValue<string>(), Is.EqualTo("mie-bousai"));
            Assert.That(shelters["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "disaster-prevention" }));
            Assert.That(shelters["author"]!.GetValue<string>(), Is.EqualTo("防災対策部 防災企画・地域支援課 地域支援班"));
            Assert.That(shelters["url"]!.GetValue<string>(), Is.EqualTo($"{site.BaseUrl}/BOUSAI/HP/m0031000012_00074.htm"));
            Assert.That(Extra(shelters, "modified"), Is.EqualTo("2024-04-01"), "令和６年４月１日 in full-width digits");
            Assert.That(Extra(shelters, "harvest_source_id"), Is.EqualTo(sourceId));
            Assert.That(Extra(shelters, "source_url"), Is.EqualTo($"{site.BaseUrl}/BOUSAI/HP/m0031000012_00074.htm"));
            Assert.That(Extra(shelters, "harvest_object_id"), Is.Not.Null);
            // The CSV is linked twice on the page: one resource.
            Assert.That(shelters["resources"]!.AsArray(), Has.Count.EqualTo(2));
        });
        var csv = Resource(shelters, "/common/content/001100001.csv");
        var xlsx = Resource(shelters, "/common/content/001100002.xlsx");
        var csvBytes = await File.ReadAllBytesAsync(site.File("common/content/001100001.csv"));
        Assert.Multiple(() =>
        {
            Assert.That(csv["name"]!.GetValue<string>(), Is.EqualTo("指定緊急避難場所一覧"), "the size note is cut from the link text");
            Assert.That(csv["format"]!.GetValue<string>(), Is.EqualTo("CSV"));
            Assert.That(csv["mimetype"]!.GetValue<string>(), Is.EqualTo("text/csv"));
            Assert.That(csv["encoding"]!.GetValue<string>(), Is.EqualTo("shift_jis"));
            Assert.That(csv["size"]!.GetValue<long>(), Is.EqualTo(csvBytes.Length));
            Assert.That(csv["hash"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(csvBytes))));
            Assert.That(csv["url_type"]!.GetValue<string>(), Is.EqualTo("upload"), "a CSV is stored, so the DataStore can load it");
            Assert.That(csv["source_url"]!.GetValue<string>(), Is.EqualTo($"{site.BaseUrl}/common/content/001100001.csv"));
            Assert.That(xlsx["url_type"]!.GetValue<string>(), Is.EqualTo("upload"), "a workbook is stored too, so the DataStore can load it");
            Assert.That(xlsx["source_url"]!.GetValue<string>(), Is.EqualTo($"{site.BaseUrl}/common/content/001100002.xlsx"));
            Assert.That(csv["csv_rows"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(csv["csv_columns"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(xlsx["format"]!.GetValue<string>(), Is.EqualTo("XLSX"));
        });

        var encodings = new Dictionary<string, string>
        {
            ["240001_yakumus_hp_m0068000066_00011"] = "cp932",
            ["240001_shokusei_hp_p0015300021"] = "euc_jp",
            ["240001_databox_25253005868"] = "utf-8_sig",
            ["240001_bousai_hp_m0031000012_00080"] = "utf-8",
        };
        foreach (var (name, encoding) in encodings)
        {
            var d = (await admin.CallAsync("package_show", new { id = name }))!.AsObject();
            var first = d["resources"]!.AsArray()[0]!.AsObject();
            Assert.That(first["encoding"]?.GetValue<string>(), Is.EqualTo(encoding), name);
        }

        var population = (await admin.CallAsync("package_show", new { id = "240001_databox_25253005868" }))!.AsObject();
        var pdf = Resource(population, ".pdf");
        Assert.That(pdf["format"]!.GetValue<string>(), Is.EqualTo("PDF"));
        Assert.That(pdf["machine_readable"]!.GetValue<string>(), Is.EqualTo("false"));
        Assert.That(population["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "statistics" }));

        var heritage = (await admin.CallAsync("package_show", new { id = "240001_kanko_hp_m0060000001_00002" }))!.AsObject();
        Assert.That(Extra(heritage, "modified"), Is.EqualTo("2018-11-22"), "平成30年");
        Assert.That(heritage["organization"]!["name"]!.GetValue<string>(), Is.EqualTo("mie-kyouiku"), "created from the map");

        // The off-site file is not harvested; the dead link is reported on its object.
        var food = (await admin.CallAsync("package_show", new { id = "240001_shokusei_hp_p0015300021" }))!.AsObject();
        Assert.That(food["resources"]!.AsArray(), Has.Count.EqualTo(1));
        var pharmacy = (await admin.CallAsync("package_show", new { id = "240001_yakumus_hp_m0068000066_00011" }))!.AsObject();
        Assert.That(pharmacy["resources"]!.AsArray(), Has.Count.EqualTo(1));
        var objects = (await admin.CallAsync("harvest_object_list", new { job_id = job["id"]!.GetValue<string>() }))!.AsArray();
        var pharmacyObject = objects.OfType<JsonObject>().Single(o => o["guid"]!.GetValue<string>().EndsWith("m0068000066_00011.htm", StringComparison.Ordinal));
        var shown = (await admin.CallAsync("harvest_object_show", new { id = pharmacyObject["id"]!.GetValue<string>() }))!.AsObject();
        Assert.That(shown["errors"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()), Has.Some.Contains("404"));
        Assert.That(shown["package_id"]!.GetValue<string>(), Is.EqualTo(pharmacy["id"]!.GetValue<string>()));

        // A page whose data is an HTML table gets the table as an uploaded CSV.
        var cities = (await admin.CallAsync("package_show", new { id = "240001_databox_25253005870" }))!.AsObject();
        var table = cities["resources"]!.AsArray().Single()!.AsObject();
        Assert.That(table["url_type"]!.GetValue<string>(), Is.EqualTo("upload"));
        Assert.That(table["format"]!.GetValue<string>(), Is.EqualTo("CSV"));
        Assert.That(table["csv_rows"]!.GetValue<int>(), Is.EqualTo(3));
        var download = await host.Client().Http.GetByteArrayAsync(table["url"]!.GetValue<string>());
        Assert.That(System.Text.Encoding.UTF8.GetString(download).TrimStart('\uFEFF'), Does.StartWith("市町,人口,世帯数\r\n津市,272000,126000"));

        // Generated pages of every category: departments, categories, 和暦 dates, footnotes and the duplicated link.
        var factories = (await admin.CallAsync("package_show", new { id = "240001_shoko_hp_m0103000001_00001" }))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(factories["title"]!.GetValue<string>(), Is.EqualTo("工業統計調査 市町別事業所数"));
            Assert.That(factories["organization"]!["name"]!.GetValue<string>(), Is.EqualTo("mie-koyo-keizai"));
            Assert.That(factories["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "industry" }));
            Assert.That(Extra(factories, "modified"), Is.EqualTo("2023-08-01"));
            Assert.That(factories["resources"]!.AsArray(), Has.Count.EqualTo(2), "the CSV linked twice is one resource");
            var csv = Resource(factories, "/common/content/001100201.csv");
            Assert.That(csv["encoding"]!.GetValue<string>(), Is.EqualTo("shift_jis"));
            Assert.That(csv["csv_rows"]!.GetValue<int>(), Is.EqualTo(29), "29 市町; the two ※ footnote rows are not data");
            Assert.That(csv["csv_header"]!.GetValue<string>(), Is.EqualTo("市町,事業所数,従業者数"));
            Assert.That(csv["column_types"]!.GetValue<string>(), Is.EqualTo("text,integer,integer"));
            var xlsx = Resource(factories, "/common/content/001100202.xlsx");
            Assert.That(xlsx["format"]!.GetValue<string>(), Is.EqualTo("XLSX"));
            Assert.That(xlsx["csv_header"]!.GetValue<string>(), Is.EqualTo("市町,事業所数,従業者数"), "the title row above is not the header");
            Assert.That(xlsx["csv_rows"]!.GetValue<int>(), Is.EqualTo(29));
            Assert.That(xlsx["csv_columns"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(xlsx["column_types"]!.GetValue<string>(), Is.EqualTo("text,integer,integer"));
        });
        var covid = (await admin.CallAsync("package_show", new { id = "240001_yakumus_hp_m0068000080_00001" }))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(covid["organization"]!["name"]!.GetValue<string>(), Is.EqualTo("mie-iryo-hoken"));
            Assert.That(covid["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "covid-19" }));
            Assert.That(Extra(covid, "modified"), Is.EqualTo("2023-05-08"));
            Assert.That(covid["resources"]!.AsArray().Select(r => r!["format"]!.GetValue<string>()), Is.EqualTo(new[] { "CSV", "XLSX", "CSV" }));
            Assert.That(covid["resources"]![0]!["encoding"]!.GetValue<string>(), Is.EqualTo("cp932"), "髙 in the footnote");
            Assert.That(covid["resources"]![2]!["harvest_table"]!.GetValue<string>(), Is.EqualTo("true"));
        });
        var haiku = (await admin.CallAsync("package_show", new { id = "240001_bunka_hp_m0075000001_00002" }))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(haiku["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "history-heritage" }));
            Assert.That(Extra(haiku, "modified"), Is.EqualTo("2019-03-29"), "平成３１年３月２９日");
            Assert.That(haiku["author"]!.GetValue<string>(), Is.EqualTo("環境生活部 文化振興課"));
            Assert.That(haiku["resources"]![0]!["encoding"]!.GetValue<string>(), Is.EqualTo("utf-8"));
            Assert.That(haiku["resources"]![0]!["csv_rows"]!.GetValue<int>(), Is.EqualTo(14));
            Assert.That(haiku["resources"]![1]!["machine_readable"]!.GetValue<string>(), Is.EqualTo("false"));
        });

        // Every page became a dataset (the seed is not loaded: the catalog holds only these), and the catalog holds every file the pages link on-site.
        var search = (await admin.CallAsync("package_search", new { rows = 100 }))!.AsObject();
        Assert.That(search["count"]!.GetValue<int>(), Is.EqualTo(SamplePages), search.ToJsonString()[..Math.Min(500, search.ToJsonString().Length)]);
        var linked = search["results"]!.AsArray().SelectMany(d => d!["resources"]!.AsArray())
            .Count(r => (r!["source_url"]?.GetValue<string>() ?? r["url"]!.GetValue<string>()).Contains("/common/content/", StringComparison.Ordinal));
        Assert.That(linked, Is.GreaterThanOrEqualTo(60), "files harvested from the sample site");

        // robots.txt keeps the crawl out of /private/.
        Assert.That((await admin.PostAsync("package_show", new { id = "240001_private_drafts" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Re_runs_change_nothing_then_exactly_what_changed_and_remove_what_is_gone()
    {
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var host = new CatalogHost(settings: HarvestCalls.FastHttp);
        var admin = host.Sysadmin();
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, HarvestCalls.SampleSource(site));
        await HarvestCalls.RunAsync(admin, sourceId);
        var before = (await admin.CallAsync("package_show", new { id = "240001_bousai_hp_m0031000012_00080" }))!.AsObject();
        var otherBefore = (await admin.CallAsync("package_show", new { id = "240001_kanko_hp_m0060000001_00002" }))!.AsObject();

        var second = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(second, "unchanged"), Is.EqualTo(SamplePages), second.ToJsonString());
        Assert.That(HarvestCalls.Stat(second, "added") + HarvestCalls.Stat(second, "updated"), Is.EqualTo(0));
        var still = (await admin.CallAsync("package_show", new { id = "240001_bousai_hp_m0031000012_00080" }))!.AsObject();
        Assert.That(still["metadata_modified"]!.GetValue<string>(), Is.EqualTo(before["metadata_modified"]!.GetValue<string>()));

        // One file changes: that dataset is updated, its resource keeps its id, nothing else moves.
        await File.AppendAllTextAsync(site.File("common/content/001100010.csv"), "令和5年度,140,52,10,202\n");
        var third = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(third, "updated"), Is.EqualTo(1), third.ToJsonString());
        Assert.That(HarvestCalls.Stat(third, "unchanged"), Is.EqualTo(SamplePages - 1));
        var after = (await admin.CallAsync("package_show", new { id = "240001_bousai_hp_m0031000012_00080" }))!.AsObject();
        var r0 = before["resources"]![0]!.AsObject();
        var r1 = after["resources"]![0]!.AsObject();
        Assert.That(r1["id"]!.GetValue<string>(), Is.EqualTo(r0["id"]!.GetValue<string>()));
        Assert.That(r1["hash"]!.GetValue<string>(), Is.Not.EqualTo(r0["hash"]!.GetValue<string>()));
        Assert.That(r1["csv_rows"]!.GetValue<int>(), Is.EqualTo(r0["csv_rows"]!.GetValue<int>() + 1));
        var otherAfter = (await admin.CallAsync("package_show", new { id = "240001_kanko_hp_m0060000001_00002" }))!.AsObject();
        Assert.That(otherAfter["metadata_modified"]!.GetValue<string>(), Is.EqualTo(otherBefore["metadata_modified"]!.GetValue<string>()));

        // A page disappears: its dataset is deleted (the sample source says delete_missing: delete).
        File.Delete(site.File("KANKO/HP/m0060000001_00002.htm"));
        var fourth = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(fourth, "deleted"), Is.EqualTo(1), fourth.ToJsonString());
        var gone = await admin.PostAsync("package_show", new { id = "240001_kanko_hp_m0060000001_00002" });
        Assert.That(gone.Status == HttpStatusCode.NotFound || gone.Result?["state"]?.GetValue<string>() == "deleted", gone.Body);
    }
}
