using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Catalog.Tests.Actions;

[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed partial class PackageActionsTests(TestStore store) : CatalogApiTests(store)
{
    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("pkg-org");
        await Fixtures.OrganizationAsync("pkg-org-2");
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$")] private static partial Regex IsoNaive();

    private static string[] Messages(JsonObject error, string key) =>
        error[key]!.AsArray().Select(x => x!.GetValue<string>()).ToArray();

    [Test]
    public async Task Create_returns_every_core_key_with_ckan_defaults()
    {
        var p = (await Admin.CallAsync("package_create", new { name = "minimal-ds", owner_org = "pkg-org" }))!.AsObject();
        string[] keys = ["author", "author_email", "creator_user_id", "extras", "groups", "id", "isopen", "license_id",
            "license_title", "maintainer", "maintainer_email", "metadata_created", "metadata_modified", "name", "notes",
            "num_resources", "num_tags", "organization", "owner_org", "private", "relationships_as_object",
            "relationships_as_subject", "resources", "state", "tags", "title", "type", "url", "version"];
        Assert.That(p.Select(kv => kv.Key), Is.SupersetOf(keys));
        Assert.Multiple(() =>
        {
            Assert.That(p["author"], Is.Null);
            Assert.That(p["title"]!.GetValue<string>(), Is.EqualTo("minimal-ds"));
            Assert.That(p["private"]!.GetValue<bool>(), Is.False);
            Assert.That(p["state"]!.GetValue<string>(), Is.EqualTo("active"));
            Assert.That(p["type"]!.GetValue<string>(), Is.EqualTo("dataset"));
            Assert.That(Guid.TryParse(p["id"]!.GetValue<string>(), out _), Is.True);
            Assert.That(p["metadata_created"]!.GetValue<string>(), Does.Match(IsoNaive()));
            Assert.That(p["organization"]!["name"]!.GetValue<string>(), Is.EqualTo("pkg-org"));
            Assert.That(p["owner_org"]!.GetValue<string>(), Is.EqualTo(p["organization"]!["id"]!.GetValue<string>()));
            Assert.That(p["license_title"], Is.Null);
            Assert.That(p["isopen"]!.GetValue<bool>(), Is.False);
        });
    }

    [Test]
    public async Task Licence_title_and_url_come_from_the_licence_list()
    {
        var p = await Fixtures.DatasetAsync("licensed-ds", "pkg-org");
        Assert.That(p["license_id"]!.GetValue<string>(), Is.EqualTo("cc-by-40-intl"));
        Assert.That(p["license_title"]!.GetValue<string>(), Does.Contain("4.0"));
        Assert.That(p["license_url"]!.GetValue<string>(), Does.StartWith("https://creativecommons.org/licenses/by/4.0"));
        Assert.That(p["isopen"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Tags_extras_and_unicode_round_trip()
    {
        var p = await Fixtures.DatasetAsync("tagged-ds", "pkg-org", extra: new
        {
            tags = new object[] { new { name = "避難所" }, new { name = "防災 情報" }, "AED設置箇所" },
            extras = new object[] { new { key = "spatial", value = "三重県" }, new { key = "frequency", value = "毎月" } },
        });
        Assert.That(p["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "避難所", "防災 情報", "AED設置箇所" }));
        Assert.That(p["num_tags"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(p["tags"]![0]!.AsObject().Select(kv => kv.Key), Is.EquivalentTo(new[] { "display_name", "id", "name", "state", "vocabulary_id" }));
        Assert.That(JsonNode.DeepEquals(p["extras"], JsonNode.Parse("[{\"key\":\"frequency\",\"value\":\"毎月\"},{\"key\":\"spatial\",\"value\":\"三重県\"}]")), Is.True, p["extras"]!.ToJsonString());
    }

    [TestCase("Capital-Name", "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_")]
    [TestCase("a", "Must be at least 2 characters long")]
    [TestCase("new", "That name cannot be used")]
    [TestCase("日本語", "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_")]
    public async Task Bad_names_are_refused_with_ckan_messages(string name, string message)
    {
        var r = await Admin.PostAsync("package_create", new { name, owner_org = "pkg-org" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(Messages(r.Error, "name"), Is.EqualTo(new[] { message }));
    }

    [Test]
    public async Task Duplicate_name_is_already_in_use()
    {
        await Fixtures.DatasetAsync("dup-ds", "pkg-org");
        var r = await Admin.PostAsync("package_create", new { name = "dup-ds", owner_org = "pkg-org" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(Messages(r.Error, "name"), Is.EqualTo(new[] { "That URL is already in use." }));
    }

    [Test]
    public async Task Owner_org_missing_or_unknown()
    {
        var missing = await Admin.PostAsync("package_create", new { name = "no-org-ds" });
        Assert.That(Messages(missing.Error, "owner_org"), Is.EqualTo(new[] { "An organization must be provided" }));
        var unknown = await Admin.PostAsync("package_create", new { name = "bad-org-ds", owner_org = "no-such-org" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(Messages(unknown.Error, "owner_org"), Is.EqualTo(new[] { "Organization does not exist" }));
    }

    [Test]
    public async Task Wrong_types_are_validation_errors_not_500()
    {
        var r = await Admin.PostAsync("package_create", new { name = "typed-ds", owner_org = "pkg-org", tags = "a,b", @private = "maybe" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(r.Error.ContainsKey("tags"), Is.True);
        Assert.That(r.Error.ContainsKey("private"), Is.True);
        var show = await Anon.GetAsync("package_show", "id=typed-ds");
        Assert.That(show.Status, Is.EqualTo(HttpStatusCode.NotFound), "nothing may be half-written");
    }

    [Test]
    public async Task Huge_title_is_refused_cleanly()
    {
        // Sent as \uXXXX escapes, still within the request limit: a larger body is a 413 before any validation.
        var r = await Admin.PostAsync("package_create", new { name = "huge-ds", owner_org = "pkg-org", title = new string('長', 150_000) });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body.Length > 500 ? r.Body[..500] : r.Body);
        Assert.That(r.Error.ContainsKey("title"), Is.True);
    }

    [Test]
    public async Task Tags_are_measured_in_characters_as_ckan_does_so_kanji_beyond_the_bmp_pass()
    {
        var p = await Fixtures.DatasetAsync("astral-tags-ds", "pkg-org", extra: new { tags = new[] { "𠮷田町", "𠮷𠮷" } });
        Assert.That(p["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "𠮷田町", "𠮷𠮷" }));
        var r = await Admin.PostAsync("package_create", new { name = "astral-short-ds", owner_org = "pkg-org", tags = new[] { "𠮷" } });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(Messages(r.Error, "tags"), Is.EqualTo(new[] { "Tag \"𠮷\" length is less than minimum 2" }));
    }

    [Test]
    public async Task Tag_errors_are_flattened_and_extras_are_checked()
    {
        var r = await Admin.PostAsync("package_create", new
        {
            name = "bad-tags-ds", owner_org = "pkg-org",
            tags = new[] { new { name = "防災・減災" }, new { name = "x" } },
            extras = new[] { new { key = "a", value = "1" }, new { key = "a", value = "2" }, new { key = "title", value = "t" } },
            author_email = "not-an-email",
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(Messages(r.Error, "tags"), Is.EqualTo(new[]
        {
            "Tag \"防災・減災\" must be alphanumeric characters or symbols: -_.",
            "Tag \"x\" length is less than minimum 2",
        }));
        Assert.That(Messages(r.Error, "extras_validation"), Does.Contain("Duplicate key \"a\""));
        Assert.That(Messages(r.Error, "author_email"), Is.EqualTo(new[] { "Email not-an-email is not a valid format" }));
    }

    [Test]
    public async Task Extra_keys_are_compared_as_saved_so_a_padded_duplicate_is_refused()
    {
        var r = await Admin.PostAsync("package_create", new
        {
            name = "padded-extras-ds", owner_org = "pkg-org",
            extras = new[] { new { key = "a", value = "1" }, new { key = " a ", value = "2" } },
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(Messages(r.Error, "extras_validation"), Is.EqualTo(new[] { "Duplicate key \"a\"" }));
    }

    [Test]
    public async Task Update_replaces_fields_but_keeps_resources_when_omitted()
    {
        var p = await Fixtures.DatasetAsync("upd-ds", "pkg-org", extra: new
        {
            author = "防災対策部", tags = new[] { new { name = "防災" } },
            resources = new[] { new { name = "一覧", url = "https://example.lg.jp/a.csv" } },
        });
        var updated = (await Admin.CallAsync("package_update", new { id = "upd-ds", title = "新しい題名", owner_org = "pkg-org" }))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(updated["id"]!.GetValue<string>(), Is.EqualTo(p["id"]!.GetValue<string>()));
            Assert.That(updated["title"]!.GetValue<string>(), Is.EqualTo("新しい題名"));
            Assert.That(updated["author"], Is.Null, "fields not given are cleared");
            Assert.That(updated["tags"]!.AsArray(), Is.Empty);
            Assert.That(updated["num_resources"]!.GetValue<int>(), Is.EqualTo(1), "resources are kept when the key is absent");
            Assert.That(string.CompareOrdinal(updated["metadata_modified"]!.GetValue<string>(), p["metadata_modified"]!.GetValue<string>()), Is.GreaterThan(0));
            Assert.That(updated["metadata_created"]!.GetValue<string>(), Is.EqualTo(p["metadata_created"]!.GetValue<string>()));
        });
        var emptied = (await Admin.CallAsync("package_update", new { id = "upd-ds", resources = Array.Empty<object>() }))!.AsObject();
        Assert.That(emptied["num_resources"]!.GetValue<int>(), Is.EqualTo(0));
    }

    [Test]
    public async Task Patch_changes_only_given_keys_and_keeps_resource_ids()
    {
        var p = await Fixtures.DatasetAsync("patch-ds", "pkg-org", extra: new
        {
            author = "作成者", resources = new[] { new { name = "一覧", url = "https://example.lg.jp/a.csv" } },
        });
        var patched = (await Admin.CallAsync("package_patch", new { id = p["id"]!.GetValue<string>(), notes = "新しい説明" }))!.AsObject();
        Assert.That(patched["notes"]!.GetValue<string>(), Is.EqualTo("新しい説明"));
        Assert.That(patched["author"]!.GetValue<string>(), Is.EqualTo("作成者"));
        Assert.That(patched["resources"]![0]!["id"]!.GetValue<string>(), Is.EqualTo(p["resources"]![0]!["id"]!.GetValue<string>()));
    }

    [Test]
    public async Task Delete_hides_the_dataset_and_keeps_its_name_reserved()
    {
        await Fixtures.DatasetAsync("del-ds", "pkg-org");
        Assert.That(await Admin.CallAsync("package_delete", new { id = "del-ds" }), Is.Null);
        var anon = await Anon.GetAsync("package_show", "id=del-ds");
        Assert.That(anon.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var admin = await Admin.CallAsync("package_show", new { id = "del-ds" });
        Assert.That(admin!["state"]!.GetValue<string>(), Is.EqualTo("deleted"));
        var list = (await Anon.CallAsync("package_list"))!.AsArray().Select(n => n!.GetValue<string>());
        Assert.That(list, Does.Not.Contain("del-ds"));
        var again = await Admin.PostAsync("package_create", new { name = "del-ds", owner_org = "pkg-org" });
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Purge_removes_for_good_and_is_sysadmin_only()
    {
        await Fixtures.DatasetAsync("purge-ds", "pkg-org");
        var anon = await Anon.PostAsync("dataset_purge", new { id = "purge-ds" });
        Assert.That(anon.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        await Admin.CallAsync("dataset_purge", new { id = "purge-ds" });
        var show = await Admin.PostAsync("package_show", new { id = "purge-ds" });
        Assert.That(show.Status, Is.EqualTo(HttpStatusCode.NotFound));
        await Fixtures.DatasetAsync("purge-ds", "pkg-org");
    }

    [Test]
    public async Task Private_dataset_is_403_to_anonymous_and_absent_from_lists()
    {
        await Fixtures.DatasetAsync("secret-ds", "pkg-org", isPrivate: true);
        var show = await Anon.GetAsync("package_show", "id=secret-ds");
        Assert.That(show.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(show.ErrorType, Is.EqualTo("Authorization Error"));
        var names = (await Anon.CallAsync("package_list"))!.AsArray().Select(n => n!.GetValue<string>());
        Assert.That(names, Does.Not.Contain("secret-ds"));
        var current = (await Anon.CallAsync("current_package_list_with_resources", new { limit = 1000 }))!.AsArray();
        Assert.That(current.Select(p => p!["name"]!.GetValue<string>()), Does.Not.Contain("secret-ds"));
        var auto = (await Anon.CallAsync("package_autocomplete", new { q = "secret" }))!.AsArray();
        Assert.That(auto, Is.Empty);
    }

    [Test]
    public async Task Package_list_is_sorted_and_pages()
    {
        await Fixtures.DatasetAsync("zz-list-b", "pkg-org");
        await Fixtures.DatasetAsync("zz-list-a", "pkg-org");
        var all = (await Anon.CallAsync("package_list"))!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.That(all, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        var page = (await Anon.GetAsync("package_list", "limit=1&offset=1")).Ok()!.AsArray();
        Assert.That(page.Count, Is.EqualTo(1));
        Assert.That(page[0]!.GetValue<string>(), Is.EqualTo(all[1]));
    }

    [Test]
    public async Task Autocomplete_matches_inside_names_and_japanese_titles()
    {
        await Fixtures.DatasetAsync("240001_shelter_list", "pkg-org", extra: new { title = "指定緊急避難場所一覧" });
        var byName = (await Anon.GetAsync("package_autocomplete", "q=shelter")).Ok()!.AsArray();
        Assert.That(byName.Select(x => x!["name"]!.GetValue<string>()), Does.Contain("240001_shelter_list"));
        Assert.That(byName[0]!["match_field"]!.GetValue<string>(), Is.EqualTo("name"));
        var byTitle = (await Anon.GetAsync("package_autocomplete", "q=" + Uri.EscapeDataString("避難"))).Ok()!.AsArray();
        Assert.That(byTitle.Single()!["match_displayed"]!.GetValue<string>(), Is.EqualTo("指定緊急避難場所一覧 (240001_shelter_list)"));
    }

    [Test]
    public async Task Owner_org_update_and_bulk_actions()
    {
        var a = await Fixtures.DatasetAsync("bulk-a", "pkg-org");
        var b = await Fixtures.DatasetAsync("bulk-b", "pkg-org");
        await Admin.CallAsync("bulk_update_private", new { datasets = new[] { a["id"]!.GetValue<string>(), "bulk-b" }, org_id = "pkg-org" });
        Assert.That((await Anon.GetAsync("package_show", "id=bulk-a")).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        await Admin.CallAsync("bulk_update_public", new { datasets = new[] { "bulk-a", "bulk-b" }, org_id = "pkg-org" });
        Assert.That((await Anon.GetAsync("package_show", "id=bulk-b")).Status, Is.EqualTo(HttpStatusCode.OK));

        await Admin.CallAsync("package_owner_org_update", new { id = "bulk-a", organization_id = "pkg-org-2" });
        var moved = (await Anon.CallAsync("package_show", new { id = "bulk-a" }))!;
        Assert.That(moved["organization"]!["name"]!.GetValue<string>(), Is.EqualTo("pkg-org-2"));

        // bulk on the wrong organization touches nothing
        await Admin.CallAsync("bulk_update_delete", new { datasets = new[] { "bulk-a" }, org_id = "pkg-org" });
        Assert.That((await Anon.CallAsync("package_show", new { id = "bulk-a" }))!["state"]!.GetValue<string>(), Is.EqualTo("active"));
        await Admin.CallAsync("bulk_update_delete", new { datasets = new[] { b["id"]!.GetValue<string>() }, org_id = "pkg-org" });
        Assert.That((await Anon.GetAsync("package_show", "id=bulk-b")).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Get_with_string_values_is_coerced()
    {
        await Fixtures.DatasetAsync("getq-ds", "pkg-org");
        var r = await Anon.GetAsync("current_package_list_with_resources", "limit=2&offset=0");
        Assert.That(r.Ok()!.AsArray().Count, Is.EqualTo(2));
        var bad = await Anon.GetAsync("package_list", "limit=ten");
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(Messages(bad.Error, "limit"), Is.EqualTo(new[] { "Invalid integer" }));
    }
}
