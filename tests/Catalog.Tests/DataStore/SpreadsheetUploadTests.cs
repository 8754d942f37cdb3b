using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.DataStore;

/// <summary>An XLSX uploaded through resource_create is loaded in the background and answered by datastore_search.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class SpreadsheetUploadTests(TestStore store) : CatalogApiTests(store)
{
    private readonly string _org = CatalogFixtures.Unique("xlsx-org");
    private string _resourceId = null!;
    private string _brokenId = null!;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync(_org);
        var dataset = CatalogFixtures.Unique("xlsx-shelters");
        await Fixtures.DatasetAsync(dataset, _org);
        var xlsx = await XlsxFiles.WriteAsync(
            ("令和5年度", [["令和5年度 避難所"], ["名称", "収容人数", "開設日"], ["津市指定避難所", 1200, new DateTime(2023, 4, 1)], ["白子公民館", 350, new DateTime(2023, 5, 1)]], false),
            ("令和6年度", [["名称", "収容人数", "開設日"], ["伊勢市避難所", 80, new DateTime(2024, 4, 1)], ["＊単位：人", null, null]], false));
        _resourceId = await UploadAsync(dataset, "shelters.xlsx", "XLSX", xlsx);
        _brokenId = await UploadAsync(dataset, "broken.xlsx", "XLSX", NotAWorkbook());
    }

    /// <summary>A ZIP archive (as an XLSX is) holding no workbook.</summary>
    private static byte[] NotAWorkbook()
    {
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        using (var w = new StreamWriter(zip.CreateEntry("readme.txt").Open())) w.Write("not a workbook");
        return stream.ToArray();
    }

    private async Task<string> UploadAsync(string dataset, string fileName, string format, byte[] body)
    {
        var created = await Admin.MultipartAsync("resource_create", new Dictionary<string, string>
        {
            ["package_id"] = dataset, ["name"] = fileName, ["format"] = format,
        }, fileName, body);
        return created.Ok()!["id"]!.GetValue<string>();
    }

    private async Task<JsonObject> LoadedAsync(string resourceId)
    {
        for (var i = 0; i < 300; i++)
        {
            var info = await Admin.PostAsync("datastore_info", new { id = resourceId });
            if (info.Status == HttpStatusCode.OK && info.Result!["meta"]!["ingestion"]?["state"]?.GetValue<string>() is "complete" or "error")
                return info.Result.AsObject();
            await Task.Delay(100);
        }
        throw new TimeoutException("The file was not loaded.");
    }

    [Test]
    public async Task Both_sheets_are_searchable_with_types_and_the_sheet_as_a_filter()
    {
        var info = await LoadedAsync(_resourceId);
        Assert.That(info["meta"]!["ingestion"]!["state"]!.GetValue<string>(), Is.EqualTo("complete"));
        var fields = info["fields"]!.AsArray().Select(f => (f!["id"]!.GetValue<string>(), f["type"]!.GetValue<string>())).ToList();
        Assert.That(fields, Is.EqualTo(new[] { ("シート", "text"), ("名称", "text"), ("収容人数", "int"), ("開設日", "date") }));

        var found = await Admin.CallAsync("datastore_search", new { resource_id = _resourceId, q = "避難", sort = "収容人数 desc" });
        Assert.That(found!["total"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(found["records"]!.AsArray().Select(r => r!["名称"]!.GetValue<string>()), Is.EqualTo(new[] { "津市指定避難所", "伊勢市避難所" }));
        var sheet = await Admin.CallAsync("datastore_search", new { resource_id = _resourceId, filters = new Dictionary<string, string> { ["シート"] = "令和6年度" } });
        Assert.That(sheet!["total"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(sheet["records"]![0]!["開設日"]!.GetValue<string>(), Is.EqualTo("2024-04-01"));
        Assert.That(sheet.ToJsonString(), Does.Not.Contain("単位"));

        var shown = await Admin.CallAsync("resource_show", new { id = _resourceId });
        Assert.That(shown!["datastore_active"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task A_broken_workbook_is_recorded_as_an_error_readable_through_the_API()
    {
        var info = await LoadedAsync(_brokenId);
        Assert.That(info["meta"]!["ingestion"]!["state"]!.GetValue<string>(), Is.EqualTo("error"));
        Assert.That(info["meta"]!["ingestion"]!["error"]!.GetValue<string>(), Does.Contain("XLSX"));
    }
}
