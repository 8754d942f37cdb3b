using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core.TableValidation;

namespace Catalog.Tests.TableValidation;

/// <summary>
/// Files that fail validation keep their dataset from being made public (unless a sysadmin overrides, recorded in the
/// activity); files that pass a standard schema tag their dataset for BODIK. Over HTTP, on both stores.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class PublishingGateTests(TestStore store) : CatalogApiTests(store)
{
    private TestUser _editor = null!;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("gate-org");
        _editor = await Fixtures.MemberAsync("gate-editor", "gate-org", "editor");
    }

    private static StandardTable Aed() => new(StandardSchemas.Find("aed")!);

    private async Task<(string Dataset, string Resource)> PrivateWithFileAsync(string name, byte[] file, string? schema = "aed")
    {
        var id = (await Fixtures.DatasetAsync(name, "gate-org", isPrivate: true))["id"]!.GetValue<string>();
        var fields = new Dictionary<string, string> { ["package_id"] = id, ["name"] = "AED" };
        if (schema is not null) fields["schema"] = schema;
        var r = (await _editor.Client.MultipartAsync("resource_create", fields, "240001_aed.csv", file)).Ok()!;
        return (id, r["id"]!.GetValue<string>());
    }

    private static byte[] Failing() => Aed().Set(0, "緯度", "136.5").Set(0, "経度", "34.7").Utf8();

    [Test]
    public async Task A_failing_file_blocks_package_patch_update_and_bulk_public_naming_the_file()
    {
        var (id, _) = await PrivateWithFileAsync("gate-fail", Failing());
        var patch = await _editor.Client.PostAsync("package_patch", new { id, @private = false });
        Assert.That((patch.Status, patch.ErrorType), Is.EqualTo((HttpStatusCode.Conflict, "Validation Error")));
        Assert.That(patch.Error["resources"]![0]!.GetValue<string>(), Does.Contain("240001_aed.csv").And.Contain("公開できません"));

        var show = (await Admin.CallAsync("package_show", new { id }))!.AsObject();
        show["private"] = false;
        var update = await _editor.Client.PostAsync("package_update", show);
        Assert.That((update.Status, update.ErrorType), Is.EqualTo((HttpStatusCode.Conflict, "Validation Error")));

        var bulk = await Admin.PostAsync("bulk_update_public", new { org_id = "gate-org", datasets = new[] { id } });
        Assert.That((bulk.Status, bulk.ErrorType), Is.EqualTo((HttpStatusCode.Conflict, "Validation Error")));
        Assert.That((await Admin.CallAsync("package_show", new { id }))!["private"]!.GetValue<bool>(), Is.True, "nothing was written");

        // Other edits of the private dataset go on.
        (await _editor.Client.PostAsync("package_patch", new { id, title = "AED設置箇所一覧（作業中）" })).Ok();
    }

    [Test]
    public async Task Only_a_sysadmin_may_override_and_the_activity_records_it()
    {
        var (id, rid) = await PrivateWithFileAsync("gate-override", Failing());
        var editor = await _editor.Client.PostAsync("package_patch", new { id, @private = false, validation_override = true });
        Assert.That((editor.Status, editor.ErrorType), Is.EqualTo((HttpStatusCode.Forbidden, "Authorization Error")));

        var ok = (await Admin.CallAsync("package_patch", new { id, @private = false, validation_override = true }))!;
        Assert.That(ok["private"]!.GetValue<bool>(), Is.False);
        Assert.That(ok["validation_override"], Is.Null, "the override is not stored on the dataset");
        var activity = (await Admin.CallAsync("package_activity_list", new { id }))!.AsArray();
        var recorded = activity[0]!["data"]!["validation_override"]!;
        Assert.That(recorded["resources"]![0]!.GetValue<string>(), Is.EqualTo(rid));
        Assert.That(recorded["by"]!.GetValue<string>(), Is.Not.Empty);

        var (other, _) = await PrivateWithFileAsync("gate-bulk-override", Failing());
        (await Admin.PostAsync("bulk_update_public", new { org_id = "gate-org", datasets = new[] { other }, validation_override = true })).Ok();
        Assert.That((await Anon.CallAsync("package_show", new { id = other }))!["private"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task Warnings_do_not_block_and_a_passing_standard_file_tags_the_dataset_for_bodik()
    {
        var (id, rid) = await PrivateWithFileAsync("gate-pass", Aed().ShiftJis());
        Assert.That((await _editor.Client.CallAsync("resource_validation_show", new { resource_id = rid }))!["status"]!.GetValue<string>(), Is.EqualTo("success"));
        var tags = (await _editor.Client.CallAsync("package_show", new { id }))!["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>());
        Assert.That(tags, Is.SupersetOf(new[] { "自治体標準ODS", "AED設置箇所" }));

        (await _editor.Client.PostAsync("package_patch", new { id, @private = false })).Ok();
        var found = (await Anon.CallAsync("package_search", new { fq = "tags:\"自治体標準ODS\" AND tags:\"AED設置箇所\"" }))!;
        Assert.That(found["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Does.Contain(id));
    }

    [Test]
    public async Task Running_validation_on_a_resource_given_a_schema_later_tags_through_the_change_feed()
    {
        var id = (await Fixtures.DatasetAsync("gate-later", "gate-org"))["id"]!.GetValue<string>();
        var r = (await _editor.Client.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = id }, "event.csv",
            new StandardTable(StandardSchemas.Find("event")!).Utf8())).Ok()!;
        var rid = r["id"]!.GetValue<string>();
        (await _editor.Client.PostAsync("resource_patch", new { id = rid, schema = "event" })).Ok();
        var v = (await _editor.Client.CallAsync("resource_validation_run", new { resource_id = rid }))!;
        Assert.That(v["status"]!.GetValue<string>(), Is.EqualTo("success"));
        var found = (await Anon.CallAsync("package_search", new { fq = "tags:\"イベント\"" }))!;
        Assert.That(found["results"]!.AsArray().Select(x => x!["id"]!.GetValue<string>()), Does.Contain(id), "the index saw the tag");
    }
}
