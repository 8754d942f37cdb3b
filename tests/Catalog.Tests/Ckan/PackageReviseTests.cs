using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Ckan;

/// <summary>
/// package_revise called as ckanapi calls it: a JSON body, or (when a file goes along) a multipart form whose
/// fields are text and whose dicts and lists are JSON text.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class PackageReviseTests(TestStore store) : CatalogApiTests(store)
{
    private TestUser _editor = null!;
    private TestUser _outsider = null!;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("revise-org");
        _editor = await Fixtures.MemberAsync("revise-editor", "revise-org", "editor");
        _outsider = await Fixtures.UserAsync("revise-outsider");
    }

    private async Task<JsonObject> DatasetWithResourcesAsync(string name) =>
        await Fixtures.DatasetAsync(name, "revise-org", extra: new
        {
            resources = new[]
            {
                new { name = "first.csv", url = "https://e.lg.jp/first.csv", description = "一つ目" },
                new { name = "second.csv", url = "https://e.lg.jp/second.csv", description = "二つ目" },
            },
        });

    private async Task<JsonObject> ShowAsync(string id) => (await Admin.CallAsync("package_show", new { id }))!.AsObject();

    [Test]
    public async Task Match_and_update_change_one_field_and_return_the_dataset_under_package()
    {
        var p = await DatasetWithResourcesAsync("rv-notes");
        var r = await _editor.Client.CallAsync("package_revise", new { match = new { name = "rv-notes", notes = "説明" }, update = new { notes = "新しい説明" } });
        Assert.That(r!["package"]!["notes"]!.GetValue<string>(), Is.EqualTo("新しい説明"));
        var after = await ShowAsync(p["id"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(after["notes"]!.GetValue<string>(), Is.EqualTo("新しい説明"));
            Assert.That(after["title"]!.GetValue<string>(), Is.EqualTo("データセット rv-notes"));
            Assert.That(after["resources"]!.AsArray(), Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task A_match_that_no_longer_holds_is_a_conflict_and_changes_nothing()
    {
        await DatasetWithResourcesAsync("rv-stale");
        var r = await Admin.PostAsync("package_revise", new
        {
            match = new { name = "rv-stale", notes = "古い説明", resources = new[] { new { name = "first.csv" } } },
            update = new { title = "変えない" },
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(r.Error["match"]!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "notes" }));
        Assert.That((await ShowAsync("rv-stale"))["title"]!.GetValue<string>(), Is.EqualTo("データセット rv-stale"));

        var flat = await Admin.PostAsync("package_revise", new Dictionary<string, object>
        {
            ["match__name"] = "rv-stale", ["match__resources__1__name"] = "other.csv", ["update__title"] = "変えない",
        });
        Assert.That(flat.Status, Is.EqualTo(HttpStatusCode.Conflict), flat.Body);
        Assert.That(flat.Error["match"]!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "resources__1__name" }));
    }

    [Test]
    public async Task Flattened_keys_address_resources_by_index_and_by_id_prefix()
    {
        var p = await DatasetWithResourcesAsync("rv-flat");
        var secondId = p["resources"]![1]!["id"]!.GetValue<string>();
        var r = await Admin.CallAsync("package_revise", new Dictionary<string, object>
        {
            ["match__id"] = p["id"]!.GetValue<string>(),
            ["update__resources__0__description"] = "最初",
            [$"update__resources__{secondId[..8]}"] = new { description = "二番目" },
            ["update__resources__-1__format"] = "TSV",
        });
        var resources = r!["package"]!["resources"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(resources[0]!["description"]!.GetValue<string>(), Is.EqualTo("最初"));
            Assert.That(resources[1]!["description"]!.GetValue<string>(), Is.EqualTo("二番目"));
            Assert.That(resources[1]!["format"]!.GetValue<string>(), Is.EqualTo("TSV"));
            Assert.That(resources[1]!["id"]!.GetValue<string>(), Is.EqualTo(secondId), "a revised resource keeps its id");
        });
    }

    [Test]
    public async Task Extend_adds_a_resource_and_filter_removes_one()
    {
        var p = await DatasetWithResourcesAsync("rv-extend");
        var extended = await Admin.CallAsync("package_revise", new
        {
            match = new { id = p["id"]!.GetValue<string>() },
            update__resources__extend = new[] { new { name = "third.csv", url = "https://e.lg.jp/third.csv" } },
        });
        Assert.That(extended!["package"]!["resources"]!.AsArray().Select(x => x!["name"]!.GetValue<string>()),
            Is.EqualTo(new[] { "first.csv", "second.csv", "third.csv" }));

        var filtered = await Admin.CallAsync("package_revise", new { match = new { name = "rv-extend" }, filter = new[] { "-resources__1" } });
        Assert.That(filtered!["package"]!["resources"]!.AsArray().Select(x => x!["name"]!.GetValue<string>()),
            Is.EqualTo(new[] { "first.csv", "third.csv" }));
        Assert.That((await ShowAsync("rv-extend"))["num_resources"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task Answer_matches_its_golden_file()
    {
        await Fixtures.DatasetAsync("rv-golden", "revise-org", extra: new { resources = new[] { new { name = "一覧.csv", url = "https://e.lg.jp/list.csv" } } });
        var r = await Admin.PostAsync("package_revise", new { match = new { name = "rv-golden" }, update__resources__0__description = "改訂" });
        Golden.AssertMatches("package_revise", r.Envelope, Host.BaseUrl);
    }

    [Test]
    public async Task Include_filters_the_answer()
    {
        await DatasetWithResourcesAsync("rv-include");
        var nothing = await Admin.CallAsync("package_revise", new { match = new { name = "rv-include" }, update = new { notes = "x" }, include = "-*" });
        Assert.That(nothing!.AsObject(), Is.Empty);
        var some = await Admin.CallAsync("package_revise", new
        {
            match = new { name = "rv-include" }, update = new { notes = "y" }, include = new[] { "+package__name", "-package__*" },
        });
        Assert.That(some!["package"]!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[] { "name" }));
    }

    [Test]
    public async Task A_multipart_form_adds_a_resource_with_its_file_in_one_call()
    {
        await DatasetWithResourcesAsync("rv-upload");
        var csv = Encoding.UTF8.GetBytes("名称,緯度,経度\n避難所,34.7,136.5\n");
        var r = await _editor.Client.MultipartAsync("package_revise", new Dictionary<string, string>
        {
            ["match"] = """{"name": "rv-upload"}""",
            ["update__resources__extend"] = """[{"name": "避難所一覧"}]""",
        }, "shelters.csv", csv, fileField: "update__resources__-1__upload");
        var resource = r.Ok()!["package"]!["resources"]![2]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(resource["name"]!.GetValue<string>(), Is.EqualTo("避難所一覧"));
            Assert.That(resource["url_type"]!.GetValue<string>(), Is.EqualTo("upload"));
            Assert.That(resource["size"]!.GetValue<long>(), Is.EqualTo(csv.Length));
            Assert.That(resource["format"]!.GetValue<string>(), Is.EqualTo("CSV"));
            Assert.That(resource.ContainsKey("upload"), Is.False);
        });
        Assert.That(await Anon.Http.GetByteArrayAsync(resource["url"]!.GetValue<string>()), Is.EqualTo(csv));

        // The same form replaces the file of an existing resource named by id prefix, flattened fields as text.
        var newer = Encoding.UTF8.GetBytes("名称\n公民館\n");
        var id = resource["id"]!.GetValue<string>();
        var replaced = await Admin.MultipartAsync("package_revise", new Dictionary<string, string>
        {
            ["match__name"] = "rv-upload", [$"update__resources__{id[..6]}__description"] = "更新",
        }, "shelters.csv", newer, fileField: $"update__resources__{id[..6]}__upload");
        var again = replaced.Ok()!["package"]!["resources"]![2]!;
        Assert.That(again["id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(again["description"]!.GetValue<string>(), Is.EqualTo("更新"));
        Assert.That(await Anon.Http.GetByteArrayAsync(again["url"]!.GetValue<string>()), Is.EqualTo(newer));
    }

    [Test]
    public async Task A_bad_key_anywhere_leaves_the_dataset_as_it_was()
    {
        await DatasetWithResourcesAsync("rv-atomic");
        var r = await Admin.PostAsync("package_revise", new Dictionary<string, object>
        {
            ["match__name"] = "rv-atomic", ["update__title"] = "途中まで", ["update__resources__7__name"] = "none",
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(r.Error["resources__7__name"]!.AsArray()[0]!.GetValue<string>(), Is.EqualTo("Unmatched key resources__7"));
        Assert.That((await ShowAsync("rv-atomic"))["title"]!.GetValue<string>(), Is.EqualTo("データセット rv-atomic"));

        var invalid = await Admin.PostAsync("package_revise", new { match = new { name = "rv-atomic" }, update = new { title = "x", name = "Not A Valid Name" } });
        Assert.That(invalid.Status, Is.EqualTo(HttpStatusCode.Conflict), invalid.Body);
        Assert.That(invalid.Error.ContainsKey("name"), Is.True, invalid.Body);
        Assert.That((await ShowAsync("rv-atomic"))["title"]!.GetValue<string>(), Is.EqualTo("データセット rv-atomic"));
    }

    [Test]
    public async Task Only_those_who_may_edit_the_dataset_may_revise_it()
    {
        await DatasetWithResourcesAsync("rv-auth");
        var anon = await Anon.PostAsync("package_revise", new { match = new { name = "rv-auth" }, update = new { notes = "x" } });
        Assert.That(anon.Status, Is.EqualTo(HttpStatusCode.Forbidden), anon.Body);
        Assert.That(anon.ErrorType, Is.EqualTo("Authorization Error"));
        var outsider = await _outsider.Client.PostAsync("package_revise", new { match = new { name = "rv-auth" }, update = new { notes = "x" } });
        Assert.That(outsider.Status, Is.EqualTo(HttpStatusCode.Forbidden), outsider.Body);

        var missing = await Admin.PostAsync("package_revise", new { update = new { notes = "x" } });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.Conflict), missing.Body);
        Assert.That(missing.Error["match__id"]!.AsArray()[0]!.GetValue<string>(), Is.EqualTo("Missing value"));

        var notDict = await Admin.PostAsync("package_revise", new { match = "rv-auth" });
        Assert.That(notDict.Status, Is.EqualTo(HttpStatusCode.Conflict), notDict.Body);
        Assert.That(notDict.Error["match"]!.AsArray()[0]!.GetValue<string>(), Is.EqualTo("Must be a dict"));

        var unknown = await Admin.PostAsync("package_revise", new { match = new { name = "rv-nope" } });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound), unknown.Body);
    }
}
