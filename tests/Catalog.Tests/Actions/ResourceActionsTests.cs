using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Actions;

[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class ResourceActionsTests(TestStore store) : CatalogApiTests(store)
{
    private static readonly byte[] Csv = Encoding.UTF8.GetBytes("名称,住所,収容人数\n津市体育館,津市一身田,800\n伊勢市民体育館,伊勢市楠部町,600\n");

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("res-org");
    }

    private async Task<string> DatasetIdAsync(string name, bool isPrivate = false) =>
        (await Fixtures.DatasetAsync(name, "res-org", isPrivate))["id"]!.GetValue<string>();

    private Task<ApiResponse> UploadAsync(string action, Dictionary<string, string> fields, byte[] file, string fileName = "避難所一覧.csv") =>
        Admin.MultipartAsync(action, fields, fileName, file);

    [Test]
    public async Task Link_resource_gets_position_guessed_format_and_ckan_keys()
    {
        var pid = await DatasetIdAsync("link-ds");
        var r = (await Admin.CallAsync("resource_create", new { package_id = pid, name = "一覧", url = "https://www.pref.mie.lg.jp/data/list.csv", encoding = "shift_jis" }))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(r["format"]!.GetValue<string>(), Is.EqualTo("CSV"));
            Assert.That(r["position"]!.GetValue<int>(), Is.EqualTo(0));
            Assert.That(r["url_type"], Is.Null);
            Assert.That(r["encoding"]!.GetValue<string>(), Is.EqualTo("shift_jis"), "extra keys stay flat");
            Assert.That(r["datastore_active"]!.GetValue<bool>(), Is.False);
            Assert.That(r.Select(kv => kv.Key), Is.SupersetOf(new[] { "cache_last_updated", "cache_url", "created", "description", "hash", "id", "last_modified", "metadata_modified", "mimetype", "mimetype_inner", "name", "package_id", "resource_type", "size", "state" }));
        });
        var second = (await Admin.CallAsync("resource_create", new { package_id = pid, url = "example.lg.jp/page" }))!;
        Assert.That(second["position"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(second["url"]!.GetValue<string>(), Is.EqualTo("http://example.lg.jp/page"));
        var pkg = (await Anon.CallAsync("package_show", new { id = pid }))!;
        Assert.That(pkg["num_resources"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task Multipart_upload_is_stored_hashed_and_downloadable_with_etag_and_range()
    {
        var pid = await DatasetIdAsync("upload-ds");
        var resp = await UploadAsync("resource_create", new() { ["package_id"] = pid, ["name"] = "避難所" }, Csv);
        var r = resp.Ok()!.AsObject();
        var rid = r["id"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(r["url_type"]!.GetValue<string>(), Is.EqualTo("upload"));
            Assert.That(r["url"]!.GetValue<string>(), Is.EqualTo($"{Host.BaseUrl}/dataset/{pid}/resource/{rid}/download/{Uri.EscapeDataString("避難所一覧.csv")}"));
            Assert.That(r["size"]!.GetValue<long>(), Is.EqualTo(Csv.Length));
            Assert.That(r["hash"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Csv))));
            Assert.That(r["mimetype"]!.GetValue<string>(), Is.EqualTo("text/csv"));
            Assert.That(r["format"]!.GetValue<string>(), Is.EqualTo("CSV"));
            Assert.That(r["last_modified"], Is.Not.Null);
        });

        using var download = await Anon.Http.GetAsync(r["url"]!.GetValue<string>());
        Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await download.Content.ReadAsByteArrayAsync(), Is.EqualTo(Csv));
        Assert.That(download.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        // CSV is on the short list of types served inline (as CKAN serves files); the name still comes with it.
        Assert.That(download.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("inline"));
        Assert.That(download.Content.Headers.ContentDisposition.FileNameStar, Is.EqualTo("避難所一覧.csv"));
        Assert.That(download.Headers.ETag!.Tag, Is.EqualTo($"\"{r["hash"]!.GetValue<string>()}\""));

        var ranged = new HttpRequestMessage(HttpMethod.Get, r["url"]!.GetValue<string>());
        ranged.Headers.Range = new RangeHeaderValue(0, 9);
        using var part = await Anon.Http.SendAsync(ranged);
        Assert.That(part.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That((await part.Content.ReadAsByteArrayAsync()).Length, Is.EqualTo(10));

        var conditional = new HttpRequestMessage(HttpMethod.Get, r["url"]!.GetValue<string>());
        conditional.Headers.IfNoneMatch.Add(download.Headers.ETag);
        using var notModified = await Anon.Http.SendAsync(conditional);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task Private_dataset_files_are_not_downloadable_by_outsiders()
    {
        var pid = await DatasetIdAsync("private-upload-ds", isPrivate: true);
        var r = (await UploadAsync("resource_create", new() { ["package_id"] = pid }, Csv)).Ok()!;
        using var anon = await Anon.Http.GetAsync(r["url"]!.GetValue<string>());
        Assert.That(anon.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await anon.Content.ReadAsStringAsync(), Does.Not.Contain("津市"));
        var req = new HttpRequestMessage(HttpMethod.Get, r["url"]!.GetValue<string>());
        req.Headers.TryAddWithoutValidation("Authorization", CatalogHost.SysadminToken);
        using var admin = await Anon.Http.SendAsync(req);
        Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var show = await Anon.GetAsync("resource_show", "id=" + r["id"]!.GetValue<string>());
        Assert.That(show.Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Replacing_an_upload_keeps_the_resource_id_and_removes_the_old_file()
    {
        var pid = await DatasetIdAsync("replace-ds");
        var first = (await UploadAsync("resource_create", new() { ["package_id"] = pid }, Csv)).Ok()!;
        var rid = first["id"]!.GetValue<string>();
        var newer = Encoding.UTF8.GetBytes("名称\n新しい行\n");
        var second = (await UploadAsync("resource_patch", new() { ["id"] = rid }, newer, "shelters_202604.csv")).Ok()!;
        Assert.That(second["id"]!.GetValue<string>(), Is.EqualTo(rid));
        Assert.That(second["url"]!.GetValue<string>(), Does.EndWith("/download/shelters_202604.csv"));
        Assert.That(second["size"]!.GetValue<long>(), Is.EqualTo(newer.Length));
        Assert.That(await Anon.Http.GetByteArrayAsync(second["url"]!.GetValue<string>()), Is.EqualTo(newer));
        var dir = Path.Combine(Host.DataDir, "files", rid[..2], rid);
        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EqualTo(new[] { second["hash"]!.GetValue<string>() }));

        // A patch without a file keeps the upload.
        var renamed = (await Admin.CallAsync("resource_patch", new { id = rid, name = "改名" }))!;
        Assert.That(renamed["url_type"]!.GetValue<string>(), Is.EqualTo("upload"));
        Assert.That(renamed["size"]!.GetValue<long>(), Is.EqualTo(newer.Length));
    }

    [Test]
    public async Task Upload_field_without_a_file_is_a_validation_error()
    {
        var pid = await DatasetIdAsync("nofile-ds");
        var r = await Admin.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = pid, ["upload"] = "data.csv" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.Error.ContainsKey("upload"), Is.True);
        Assert.That((await Anon.CallAsync("package_show", new { id = pid }))!["num_resources"]!.GetValue<int>(), Is.EqualTo(0));
    }

    [Test]
    public async Task Resource_on_a_deleted_dataset_is_refused()
    {
        var pid = await DatasetIdAsync("deleted-parent-ds");
        await Admin.CallAsync("package_delete", new { id = pid });
        var r = await Admin.PostAsync("resource_create", new { package_id = pid, url = "https://example.lg.jp/x.csv" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
    }

    [Test]
    public async Task Resource_for_unknown_dataset_is_404()
    {
        var r = await Admin.PostAsync("resource_create", new { package_id = "no-such-dataset", url = "https://example.lg.jp/x.csv" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Update_delete_and_positions()
    {
        var pid = await DatasetIdAsync("positions-ds");
        var a = (await Admin.CallAsync("resource_create", new { package_id = pid, name = "a", url = "https://e.lg.jp/a.csv" }))!;
        var b = (await Admin.CallAsync("resource_create", new { package_id = pid, name = "b", url = "https://e.lg.jp/b.json" }))!;
        var updated = (await Admin.CallAsync("resource_update", new { id = b["id"]!.GetValue<string>(), url = "https://e.lg.jp/b.xlsx" }))!;
        Assert.That(updated["name"]!.GetValue<string>(), Is.EqualTo(""), "update replaces: the name was not given");
        Assert.That(updated["format"]!.GetValue<string>(), Is.EqualTo("XLSX"));
        await Admin.CallAsync("resource_delete", new { id = a["id"]!.GetValue<string>() });
        Assert.That((await Anon.PostAsync("resource_show", new { id = a["id"]!.GetValue<string>() })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        var pkg = (await Anon.CallAsync("package_show", new { id = pid }))!;
        Assert.That(pkg["resources"]!.AsArray().Single()!["position"]!.GetValue<int>(), Is.EqualTo(0));
    }

    [Test]
    public async Task Resource_search_by_field_on_public_datasets_only()
    {
        var pub = await DatasetIdAsync("rsearch-public");
        var priv = await DatasetIdAsync("rsearch-private", isPrivate: true);
        await Admin.CallAsync("resource_create", new { package_id = pub, name = "AED設置箇所 一覧", url = "https://e.lg.jp/aed.csv" });
        await Admin.CallAsync("resource_create", new { package_id = priv, name = "AED設置箇所 内部", url = "https://e.lg.jp/aed2.csv" });
        var r = (await Anon.CallAsync("resource_search", new { query = "name:aed設置" }))!;
        Assert.That(r["count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(r["results"]![0]!["package_id"]!.GetValue<string>(), Is.EqualTo(pub));
        var bad = await Anon.PostAsync("resource_search", new { query = "nosuchfield:x" });
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Too_large_upload_is_refused_and_leaves_nothing()
    {
        using var small = new CatalogHost(settings: new() { ["Catalog:MaxUploadBytes"] = "1024" });
        var admin = small.Sysadmin();
        await new CatalogFixtures(small).OrganizationAsync("small-org");
        var pid = (await admin.CallAsync("package_create", new { name = "small-ds", owner_org = "small-org" }))!["id"]!.GetValue<string>();
        var r = await admin.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = pid }, "big.csv", new byte[4096]);
        Assert.That((int)r.Status, Is.EqualTo(409).Or.EqualTo(413));
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That((await admin.CallAsync("package_show", new { id = pid }))!["num_resources"]!.GetValue<int>(), Is.EqualTo(0));
        var files = Directory.Exists(Path.Combine(small.DataDir, "files"))
            ? Directory.GetFiles(Path.Combine(small.DataDir, "files"), "*", SearchOption.AllDirectories) : [];
        Assert.That(files, Is.Empty);
    }
}
