using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core.TableValidation;

namespace Catalog.Tests.TableValidation;

/// <summary>resource_validation_run/show/delete over HTTP, on both stores: who may run and read them, and bad input.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class ResourceValidationActionsTests(TestStore store) : CatalogApiTests(store)
{
    private TestUser _editor = null!;
    private TestUser _outsider = null!;
    private string _publicId = null!;
    private string _privateId = null!;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("val-org");
        await Fixtures.OrganizationAsync("other-org");
        _editor = await Fixtures.MemberAsync("val-editor", "val-org", "editor");
        _outsider = await Fixtures.MemberAsync("val-outsider", "other-org", "editor");
        _publicId = (await Fixtures.DatasetAsync("val-public", "val-org"))["id"]!.GetValue<string>();
        _privateId = (await Fixtures.DatasetAsync("val-private", "val-org", isPrivate: true))["id"]!.GetValue<string>();
    }

    private static StandardTable Aed() => new(StandardSchemas.Find("aed")!);

    private async Task<string> UploadAsync(string datasetId, byte[] file, string? schema = "aed", CkanClient? client = null)
    {
        var fields = new Dictionary<string, string> { ["package_id"] = datasetId, ["name"] = "AED設置箇所一覧" };
        if (schema is not null) fields["schema"] = schema;
        var r = (await (client ?? _editor.Client).MultipartAsync("resource_create", fields, "240001_aed.csv", file)).Ok()!;
        return r["id"]!.GetValue<string>();
    }

    [Test]
    public async Task Upload_to_a_resource_with_a_schema_is_validated_in_the_same_write()
    {
        var t = Aed().Set(0, "緯度", "136.508588").Set(0, "経度", "34.730283");
        t.Above.Add("AED設置箇所一覧");
        var rid = await UploadAsync(_publicId, t.ShiftJis());
        var v = (await Anon.CallAsync("resource_validation_show", new { resource_id = rid }))!;
        Assert.Multiple(() =>
        {
            Assert.That(v["resource_id"]!.GetValue<string>(), Is.EqualTo(rid));
            Assert.That(v["status"]!.GetValue<string>(), Is.EqualTo("failure"));
            Assert.That(v["schema"]!.GetValue<string>(), Is.EqualTo("aed"));
            Assert.That(v["created"], Is.Not.Null);
            Assert.That(v["finished"], Is.Not.Null);
            Assert.That(v["report"]!["valid"]!.GetValue<bool>(), Is.False);
        });
        var errors = v["report"]!["tasks"]![0]!["errors"]!.AsArray();
        Assert.That(errors.Select(e => (e!["rowNumber"]?.GetValue<int>(), e["fieldName"]?.GetValue<string>(), e["rule"]!.GetValue<string>())),
            Is.EquivalentTo(new (int?, string?, string)[] { (null, null, "encoding-not-utf8"), (1, null, "header-not-first-row"), (3, "緯度", "lat-lon-swapped") }));
        Assert.That(errors.Single(e => e!["rule"]!.GetValue<string>() == "lat-lon-swapped")!["message"]!.GetValue<string>(), Does.Contain("入れ替わって"));

        // A valid file replacing it is validated again, by the same write.
        var updated = await _editor.Client.MultipartAsync("resource_update", new Dictionary<string, string> { ["id"] = rid, ["schema"] = "aed" }, "240001_aed.csv", Aed().Utf8());
        updated.Ok();
        var again = (await Anon.CallAsync("resource_validation_show", new { resource_id = rid }))!;
        Assert.That(again["status"]!.GetValue<string>(), Is.EqualTo("success"));
    }

    [Test]
    public async Task Run_validates_with_the_general_rules_when_no_schema_is_named_and_delete_removes_the_report()
    {
        var rid = await UploadAsync(_publicId, Aed().Utf8(), schema: null);
        var none = await Anon.PostAsync("resource_validation_show", new { resource_id = rid });
        Assert.That((none.Status, none.ErrorType), Is.EqualTo((HttpStatusCode.NotFound, "Not Found Error")));
        var v = (await _editor.Client.CallAsync("resource_validation_run", new { resource_id = rid }))!;
        Assert.That(v["status"]!.GetValue<string>(), Is.EqualTo("success"));
        Assert.That(v["schema"], Is.Null);
        await _editor.Client.CallAsync("resource_validation_delete", new { resource_id = rid });
        var gone = await Anon.PostAsync("resource_validation_show", new { resource_id = rid });
        Assert.That(gone.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_table_schema_given_inline_is_used()
    {
        var schema = new JsonObject { ["fields"] = new JsonArray(new JsonObject { ["name"] = "収容人数", ["type"] = "integer" }) }.ToJsonString();
        var file = System.Text.Encoding.UTF8.GetBytes("名称,収容人数\n津市体育館,800人\n");
        var rid = await UploadAsync(_publicId, file, schema);
        var v = (await Anon.CallAsync("resource_validation_show", new { resource_id = rid }))!;
        var error = v["report"]!["tasks"]![0]!["errors"]![0]!;
        Assert.That((error["rowNumber"]!.GetValue<int>(), error["fieldName"]!.GetValue<string>(), error["rule"]!.GetValue<string>()),
            Is.EqualTo((2, "収容人数", "number-format")));
        Assert.That(v["schema"]!["fields"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("収容人数"));
    }

    [Test]
    public async Task Outsiders_cannot_run_or_delete_and_private_reports_are_not_readable_by_them()
    {
        var rid = await UploadAsync(_privateId, Aed().Utf8());
        foreach (var client in new[] { _outsider.Client, Anon })
        {
            var run = await client.PostAsync("resource_validation_run", new { resource_id = rid });
            Assert.That((run.Status, run.ErrorType), Is.EqualTo((HttpStatusCode.Forbidden, "Authorization Error")));
            var delete = await client.PostAsync("resource_validation_delete", new { resource_id = rid });
            Assert.That(delete.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            var show = await client.PostAsync("resource_validation_show", new { resource_id = rid });
            Assert.That((show.Status, show.ErrorType), Is.EqualTo((HttpStatusCode.Forbidden, "Authorization Error")));
            Assert.That(show.Body, Does.Not.Contain(_privateId), "the refusal does not name the dataset");
        }
        Assert.That((await _editor.Client.CallAsync("resource_validation_show", new { resource_id = rid }))!["status"]!.GetValue<string>(), Is.EqualTo("success"));
        Assert.That((await Admin.CallAsync("resource_validation_show", new { resource_id = rid }))!["status"]!.GetValue<string>(), Is.EqualTo("success"));
    }

    [Test]
    public async Task Bad_input_gets_ckan_errors()
    {
        var missing = await _editor.Client.PostAsync("resource_validation_run", new { });
        Assert.That((missing.Status, missing.ErrorType), Is.EqualTo((HttpStatusCode.Conflict, "Validation Error")));
        Assert.That(missing.Error["resource_id"], Is.Not.Null);

        var unknown = await _editor.Client.PostAsync("resource_validation_run", new { resource_id = Guid.NewGuid().ToString() });
        Assert.That((unknown.Status, unknown.ErrorType), Is.EqualTo((HttpStatusCode.NotFound, "Not Found Error")));

        var badSchema = await _editor.Client.MultipartAsync("resource_create",
            new Dictionary<string, string> { ["package_id"] = _publicId, ["schema"] = "no-such-standard" }, "a.csv", Aed().Utf8());
        Assert.That((badSchema.Status, badSchema.ErrorType), Is.EqualTo((HttpStatusCode.Conflict, "Validation Error")));
        Assert.That(badSchema.Error["schema"]![0]!.GetValue<string>(), Does.Contain("aed"));

        var badPattern = await _editor.Client.PostAsync("resource_create", new
        {
            package_id = _publicId, url = "https://www.pref.mie.lg.jp/a.csv",
            schema = new { fields = new[] { new { name = "a", constraints = new { pattern = "(" } } } },
        });
        Assert.That((badPattern.Status, badPattern.ErrorType), Is.EqualTo((HttpStatusCode.Conflict, "Validation Error")));

        var link = (await _editor.Client.CallAsync("resource_create", new { package_id = _publicId, url = "https://www.pref.mie.lg.jp/aed.csv", schema = "aed" }))!;
        var linkRun = await _editor.Client.PostAsync("resource_validation_run", new { resource_id = link["id"]!.GetValue<string>() });
        Assert.That((linkRun.Status, linkRun.ErrorType), Is.EqualTo((HttpStatusCode.Conflict, "Validation Error")));
        Assert.That(linkRun.Error["url"], Is.Not.Null, "links are not fetched");
    }

    [Test]
    public async Task Table_fix_lists_previews_and_applies_fixes_keeping_the_original()
    {
        var t = Aed().Set(1, "全国地方公共団体コード", "24000");
        t.Above.Add("AED設置箇所一覧");
        t.Below.Add("※令和6年4月1日現在");
        var original = t.ShiftJis();
        var rid = await UploadAsync(_publicId, original);

        var listed = (await _editor.Client.CallAsync("resource_table_fix", new { resource_id = rid }))!;
        var available = listed["available"]!.AsArray().ToDictionary(a => a!["id"]!.GetValue<string>(), a => a!["findings"]!.GetValue<int>());
        Assert.That(available, Is.EquivalentTo(new Dictionary<string, int>
        {
            ["encoding"] = 1, ["strip-title-rows"] = 1, ["strip-footnote-rows"] = 1, ["full-width-digits"] = 0, ["wareki"] = 0, ["lgcode"] = 1,
        }));
        Assert.That(listed["available"]![0]!["label_ja"]!.GetValue<string>(), Does.Contain("UTF-8"));

        var fixes = new[] { "encoding", "strip-title-rows", "strip-footnote-rows", "lgcode" };
        var preview = (await _editor.Client.CallAsync("resource_table_fix", new { resource_id = rid, fixes, dry_run = true }))!;
        Assert.That(preview["before"]![0]!["cells"]![0]!.GetValue<string>(), Is.EqualTo("AED設置箇所一覧"));
        Assert.That(preview["after"]![0]!["cells"]![0]!.GetValue<string>(), Is.EqualTo("全国地方公共団体コード"));
        Assert.That(preview["after"]![2]!["cells"]![0]!.GetValue<string>(), Is.EqualTo("240001"));
        Assert.That(preview["validation"]!["valid"]!.GetValue<bool>(), Is.True);
        var unchanged = (await Anon.CallAsync("resource_show", new { id = rid }))!;
        Assert.That(unchanged["hash"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original))), "a dry run writes nothing");

        var applied = (await _editor.Client.CallAsync("resource_table_fix", new { resource_id = rid, fixes, dry_run = false }))!;
        var originalSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original));
        Assert.Multiple(() =>
        {
            Assert.That(applied["validation"]!["status"]!.GetValue<string>(), Is.EqualTo("success"));
            Assert.That(applied["validation"]!["original_sha256"]!.GetValue<string>(), Is.EqualTo(originalSha));
            Assert.That(applied["resource"]!["hash"]!.GetValue<string>(), Is.Not.EqualTo(originalSha));
        });
        var download = await Anon.Http.GetAsync(applied["resource"]!["url"]!.GetValue<string>());
        var body = await download.Content.ReadAsByteArrayAsync();
        Assert.That(System.Text.Encoding.UTF8.GetString(body), Does.StartWith("\uFEFF全国地方公共団体コード"));
        var kept = Path.Combine(Host.DataDir, "files", rid[..2], rid, originalSha);
        Assert.That(File.Exists(kept), "the uploaded file is kept beside the fixed one");

        var activity = (await Admin.CallAsync("package_activity_list", new { id = _publicId }))!.AsArray();
        var fixActivity = activity.Select(a => a!["data"]?["table_fix"]).First(x => x is not null)!;
        Assert.That(fixActivity["original_sha256"]!.GetValue<string>(), Is.EqualTo(originalSha));

        var outsider = await _outsider.Client.PostAsync("resource_table_fix", new { resource_id = rid, fixes, dry_run = false });
        Assert.That(outsider.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var unknownFix = await _editor.Client.PostAsync("resource_table_fix", new { resource_id = rid, fixes = new[] { "rm -rf" } });
        Assert.That((unknownFix.Status, unknownFix.ErrorType), Is.EqualTo((HttpStatusCode.Conflict, "Validation Error")));
    }
}
