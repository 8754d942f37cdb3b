using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Search;

/// <summary>package_search over HTTP: CKAN's parameters and result shape, visibility per role, read-your-writes.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class PackageSearchApiTests(TestStore store)
{
    private CatalogHost _host = null!;
    private CkanClient _admin = null!;
    private CkanClient _anon = null!;
    private CkanClient _alice = null!; // editor of city-a
    private CkanClient _bob = null!;   // member of city-b
    private CkanClient _carol = null!; // no organization
    private string _cityA = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new CatalogHost(store: store);
        _admin = _host.Sysadmin();
        _anon = _host.Client();
        var fixtures = new CatalogFixtures(_host);
        _cityA = (await fixtures.OrganizationAsync("city-a", "津市"))["id"]!.GetValue<string>();
        await fixtures.OrganizationAsync("city-b", "伊勢市");
        await fixtures.GroupAsync("bosai", "防災・災害");
        _alice = (await fixtures.MemberAsync("alice", "city-a", "editor")).Client;
        _bob = (await fixtures.MemberAsync("bob", "city-b", "member")).Client;
        _carol = (await fixtures.UserAsync("carol")).Client;

        await Create(new
        {
            name = "shelter-list", title = "指定緊急避難場所一覧", owner_org = "city-a", notes = "津市内の指定緊急避難場所の一覧です。",
            license_id = "cc-by-40-intl", groups = new[] { new { name = "bosai" } },
            tags = new[] { new { name = "避難所" }, new { name = "防災" }, new { name = "air quality" } },
            resources = new[] { new { url = "http://example.lg.jp/shelter.csv", format = "CSV", name = "避難場所CSV" } },
        });
        await Create(new
        {
            name = "aed-list", title = "AED設置箇所一覧", owner_org = "city-b", notes = "伊勢市のAED設置場所",
            license_id = "odc-by", tags = new[] { new { name = "AED" }, new { name = "防災" } },
            resources = new[] { new { url = "http://example.lg.jp/aed.xlsx", format = "XLSX" } },
        });
        await Create(new { name = "budget-private", title = "予算書（内部）", owner_org = "city-a", @private = true });
        await Create(new { name = "plan-private", title = "計画書（内部）", owner_org = "city-b", @private = true });
        await Create(new { name = "old-statistics", title = "人口統計 2023", owner_org = "city-b", metadata_modified = "2024-03-01T00:00:00" });
        var deleted = await Create(new { name = "gone-dataset", title = "削除済みデータ", owner_org = "city-a" });
        await _admin.CallAsync("package_delete", new { id = deleted["id"]!.GetValue<string>() });
        await _alice.CallAsync("package_create", new { name = "alice-draft", title = "作成中のデータ", owner_org = "city-a", state = "draft" });
    }

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var c in new[] { _admin, _anon, _alice, _bob, _carol }) c.Dispose();
        _host.Dispose();
    }

    private async Task<JsonObject> Create(object data) => (await _admin.CallAsync("package_create", data))!.AsObject();

    private static List<string> Names(JsonNode? result) =>
        result!["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();

    private async Task<JsonNode?> Search(CkanClient client, object data) => (await client.PostAsync("package_search", data)).Ok();

    [Test]
    public async Task Result_has_ckan_keys_and_the_package_show_dict()
    {
        var r = await _anon.GetAsync("package_search", "q=name:shelter-list");
        var result = r.Ok()!.AsObject();
        Assert.That(result.Select(kv => kv.Key), Is.EquivalentTo(new[] { "count", "facets", "results", "sort", "search_facets" }));
        Assert.That(result["count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(result["sort"]!.GetValue<string>(), Is.EqualTo("score desc, metadata_modified desc"));
        var shown = await _anon.CallAsync("package_show", new { id = "shelter-list" });
        Assert.That(JsonNode.DeepEquals(result["results"]![0], shown), Is.True, "search results are the dicts package_show gives");
    }

    [Test]
    public async Task A_write_is_searchable_as_soon_as_it_returns()
    {
        var created = await Create(new { name = "ryw-dataset", title = "公衆無線LANアクセスポイント一覧", owner_org = "city-a" });
        Assert.That(Names(await Search(_anon, new { q = "無線LAN" })), Does.Contain("ryw-dataset"));

        await _admin.CallAsync("package_patch", new { id = "ryw-dataset", title = "観光案内所一覧" });
        Assert.That(Names(await Search(_anon, new { q = "観光案内所" })), Does.Contain("ryw-dataset"));
        Assert.That(Names(await Search(_anon, new { q = "無線LAN" })), Does.Not.Contain("ryw-dataset"));

        await _admin.CallAsync("package_delete", new { id = created["id"]!.GetValue<string>() });
        Assert.That(Names(await Search(_admin, new { q = "観光案内所", include_private = true, include_drafts = true })), Does.Not.Contain("ryw-dataset"));
    }

    [Test]
    public async Task A_resource_added_later_is_searchable_by_its_format()
    {
        var created = await Create(new { name = "ryw-resource", title = "河川水位観測所", owner_org = "city-a" });
        await _admin.CallAsync("resource_create", new { package_id = created["id"]!.GetValue<string>(), url = "http://example.lg.jp/x.json", format = "JSON" });
        Assert.That(Names(await Search(_anon, new { fq = "res_format:JSON" })), Is.EqualTo(new[] { "ryw-resource" }));
    }

    [TestCase("避難")]
    [TestCase("避難所")]
    [TestCase("緊急避難場所")]
    [TestCase("津市 避難")]
    [TestCase("避難場所一覧")]
    public async Task Japanese_parts_of_words_find_the_shelter_list(string q) =>
        Assert.That(Names(await Search(_anon, new { q })), Does.Contain("shelter-list"));

    [TestCase("ＡＥＤ")]
    [TestCase("aed")]
    [TestCase("自動体外式除細動器")]
    public async Task Width_case_and_synonyms_find_the_aed_list(string q) =>
        Assert.That(Names(await Search(_anon, new { q })), Is.EqualTo(new[] { "aed-list" }));

    [Test]
    public async Task Ckan_examples_work_verbatim()
    {
        Assert.That(Names(await Search(_anon, new { fq = "organization:city-a" })), Does.Contain("shelter-list").And.Not.Contain("aed-list"));
        Assert.That(Names(await Search(_anon, new { fq = "tags:\"air quality\"" })), Is.EqualTo(new[] { "shelter-list" }));
        Assert.That(Names(await Search(_anon, new { fq = "res_format:CSV" })), Is.EqualTo(new[] { "shelter-list" }));

        var recent = Names(await Search(_anon, new { fq = "metadata_modified:[2025-01-10T08:15:42.123456Z TO *]", rows = 1000 }));
        Assert.That(recent, Does.Contain("shelter-list").And.Not.Contain("old-statistics"));
        var older = Names(await Search(_anon, new { fq = "metadata_modified:[* TO 2025-01-10T08:15:42.123456Z]" }));
        Assert.That(older, Is.EqualTo(new[] { "old-statistics" }));
        Assert.That(Names(await Search(_anon, new { fq = "metadata_created:[NOW-7DAYS TO NOW]", q = "name:aed-list" })), Is.EqualTo(new[] { "aed-list" }));
    }

    [Test]
    public async Task Date_filters_show_private_datasets_only_to_who_may_see_them()
    {
        foreach (var fq in new[] { "metadata_modified:*", "metadata_created:[* TO *]", "metadata_modified:[NOW-7DAYS TO NOW]" })
        {
            var anonymous = Names(await Search(_anon, new { fq, rows = 1000, include_private = true }));
            Assert.That(anonymous, Does.Contain("aed-list").And.Not.Contain("budget-private").And.Not.Contain("plan-private"), fq);
            var bob = Names(await Search(_bob, new { fq, rows = 1000, include_private = true }));
            Assert.That(bob, Does.Contain("plan-private").And.Not.Contain("budget-private"), fq);
        }
    }

    [Test]
    public async Task Queries_on_notes_and_resource_text_find_only_that_text_and_only_what_the_caller_may_see()
    {
        var fixtures = new CatalogFixtures(_host);
        await fixtures.OrganizationAsync("lighthouse-office", "灯台事務所");
        using var keeper = (await fixtures.MemberAsync("keeper", "lighthouse-office", "member")).Client;
        await Create(new
        {
            name = "lighthouse-public", title = "灯台一覧", owner_org = "city-a", notes = "灯台守の記録",
            resources = new[] { new { url = "http://example.lg.jp/lh.csv", format = "CSV", name = "灯台", description = "灯台守の名簿" } },
        });
        await Create(new
        {
            name = "lighthouse-private", title = "勤務表", owner_org = "lighthouse-office", @private = true, notes = "灯台守の勤務表",
            author = "灯台守", resources = new[] { new { url = "http://example.lg.jp/lh2.csv", format = "CSV", description = "灯台守の連絡先" } },
        });
        foreach (var (q, fq) in new[] { ("notes:灯台守", (string?)null), (null, "res_description:灯台守"), ("res_description:灯台* AND notes:*", null) })
        {
            var anonymous = Names(await Search(_anon, new { q, fq, include_private = true }));
            Assert.That(anonymous, Is.EqualTo(new[] { "lighthouse-public" }), $"{q} {fq}");
            var bob = Names(await Search(_bob, new { q, fq, include_private = true }));
            Assert.That(bob, Is.EqualTo(new[] { "lighthouse-public" }), $"{q} {fq}: a member of another organization");
            var member = Names(await Search(keeper, new { q, fq, include_private = true }));
            Assert.That(member, Is.EquivalentTo(new[] { "lighthouse-public", "lighthouse-private" }), $"{q} {fq}");
        }
        Assert.That(Names(await Search(keeper, new { q = "author:灯台守", include_private = true })), Is.EqualTo(new[] { "lighthouse-private" }));
        Assert.That(Names(await Search(keeper, new { q = "title:灯台守", include_private = true })), Is.Empty, "the word is in no title");
        Assert.That(Names(await Search(_anon, new { q = "灯台守" })), Is.EqualTo(new[] { "lighthouse-public" }), "free text finds notes too");
    }

    [Test]
    public async Task Filters_combine_with_boolean_syntax()
    {
        Assert.That(Names(await Search(_anon, new { fq = "organization:city-a OR organization:city-b", q = "tags:防災" })),
            Is.EquivalentTo(new[] { "shelter-list", "aed-list" }));
        Assert.That(Names(await Search(_anon, new { fq = "-organization:city-a", q = "tags:防災" })), Is.EqualTo(new[] { "aed-list" }));
        Assert.That(Names(await Search(_anon, new { fq = "(tags:防災 AND res_format:XLSX)" })), Is.EqualTo(new[] { "aed-list" }));
        Assert.That(Names(await Search(_anon, new { fq_list = new[] { "tags:防災", "+groups:bosai" } })), Is.EqualTo(new[] { "shelter-list" }));
        Assert.That(Names(await Search(_anon, new { q = "title:避難 AND organization:city-a" })), Is.EqualTo(new[] { "shelter-list" }));
    }

    [Test]
    public async Task Facets_count_the_whole_match_and_name_organizations_and_licences_by_title()
    {
        var r = await _anon.GetAsync("package_search",
            "q=tags:防災&rows=1&facet.field=" + Uri.EscapeDataString("[\"tags\",\"res_format\",\"organization\",\"license_id\"]"));
        var result = r.Ok()!;
        Assert.That(result["count"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(result["results"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(result["facets"]!["tags"]!["防災"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(result["facets"]!["res_format"]!["CSV"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(result["facets"]!["res_format"]!["XLSX"]!.GetValue<int>(), Is.EqualTo(1));

        var orgs = result["search_facets"]!["organization"]!;
        Assert.That(orgs["title"]!.GetValue<string>(), Is.EqualTo("organization"));
        var items = orgs["items"]!.AsArray().Select(i => (Name: i!["name"]!.GetValue<string>(), Display: i["display_name"]!.GetValue<string>(), Count: i["count"]!.GetValue<int>())).ToList();
        Assert.That(items, Is.EquivalentTo(new[] { ("city-a", "津市", 1), ("city-b", "伊勢市", 1) }));
        Assert.That(items.Select(i => i.Display), Is.Ordered.Descending.Using((IComparer<string>)StringComparer.Ordinal), "CKAN sorts items by display name, descending");
        var licences = result["search_facets"]!["license_id"]!["items"]!.AsArray();
        var odcBy = licences.Single(i => i!["name"]!.GetValue<string>() == "odc-by")!;
        Assert.That(odcBy["display_name"]!.GetValue<string>(), Is.EqualTo("Open Data Commons Attribution License"));
        var ccBy = licences.Single(i => i!["name"]!.GetValue<string>() == "cc-by-40-intl")!;
        Assert.That(ccBy["display_name"]!.GetValue<string>(), Does.Contain("CC BY 4.0"));
    }

    [Test]
    public async Task No_facets_unless_asked()
    {
        var result = await Search(_anon, new { q = "避難" });
        Assert.That(result!["facets"]!.AsObject(), Is.Empty);
        Assert.That(result["search_facets"]!.AsObject(), Is.Empty);
        var off = await Search(_anon, new JsonObject { ["q"] = "避難", ["facet"] = "false", ["facet.field"] = "[\"tags\"]" });
        Assert.That(off!["facets"]!.AsObject(), Is.Empty);
    }

    [Test]
    public async Task Facet_limit_and_mincount()
    {
        var result = await Search(_anon, new JsonObject { ["facet.field"] = new JsonArray("tags"), ["facet.limit"] = 1 });
        Assert.That(result!["facets"]!["tags"]!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[] { "防災" }), "most frequent first");
        var none = await Search(_anon, new JsonObject { ["facet.field"] = new JsonArray("tags"), ["facet.mincount"] = 3 });
        Assert.That(none!["facets"]!["tags"]!.AsObject(), Is.Empty);
    }

    [Test]
    public async Task Fl_returns_only_the_named_fields()
    {
        var result = await Search(_anon, new { q = "name:aed-list", fl = "name,organization,tags" });
        var only = result!["results"]![0]!.AsObject();
        Assert.That(only.Select(kv => kv.Key), Is.EquivalentTo(new[] { "name", "organization", "tags" }));
        Assert.That(only["organization"]!.GetValue<string>(), Is.EqualTo("city-b"));
    }

    [Test]
    public async Task Visibility_of_private_datasets_follows_roles()
    {
        async Task<List<string>> Private(CkanClient c, bool include) =>
            Names(await Search(c, new { q = "title:内部", include_private = include }));

        Assert.That(await Private(_anon, true), Is.Empty);
        Assert.That(await Private(_carol, true), Is.Empty);
        Assert.That(await Private(_alice, false), Is.Empty, "private only when asked");
        Assert.That(await Private(_alice, true), Is.EqualTo(new[] { "budget-private" }));
        Assert.That(await Private(_bob, true), Is.EqualTo(new[] { "plan-private" }), "members may read their organization's private datasets");
        Assert.That(await Private(_admin, true), Is.EquivalentTo(new[] { "budget-private", "plan-private" }));
        Assert.That(await Private(_admin, false), Is.Empty);
    }

    [Test]
    public async Task Drafts_only_with_include_drafts_and_only_ones_own()
    {
        async Task<List<string>> Drafts(CkanClient c, bool include) =>
            Names(await Search(c, new { q = "name:alice-draft", include_drafts = include, include_private = true }));

        Assert.That(await Drafts(_alice, false), Is.Empty);
        Assert.That(await Drafts(_alice, true), Is.EqualTo(new[] { "alice-draft" }));
        Assert.That(await Drafts(_bob, true), Is.Empty);
        Assert.That(await Drafts(_carol, true), Is.Empty);
        Assert.That(await Drafts(_anon, true), Is.Empty);
        Assert.That(await Drafts(_admin, true), Is.EqualTo(new[] { "alice-draft" }));
    }

    [Test]
    public async Task Deleted_datasets_are_never_found()
    {
        foreach (var client in new[] { _anon, _alice, _admin })
        {
            var result = await Search(client, new { q = "name:gone-dataset", include_private = true, include_drafts = true, include_deleted = true });
            Assert.That(result!["count"]!.GetValue<int>(), Is.Zero);
        }
        Assert.That(Names(await Search(_admin, new { fq = "+state:deleted" })), Is.Empty);
    }

    [Test]
    public async Task Sort_by_fields_and_several_keys()
    {
        var byName = Names(await Search(_anon, new { q = "tags:防災", sort = "name asc" }));
        Assert.That(byName, Is.EqualTo(new[] { "aed-list", "shelter-list" }));
        var byNameDesc = Names(await Search(_anon, new { q = "tags:防災", sort = "name desc" }));
        Assert.That(byNameDesc, Is.EqualTo(new[] { "shelter-list", "aed-list" }));
        var byModified = Names(await Search(_anon, new { fq = "organization:city-b", sort = "metadata_modified asc, name desc" }));
        Assert.That(byModified[0], Is.EqualTo("old-statistics"));
        var echo = await Search(_anon, new { sort = "title_string desc, id asc" });
        Assert.That(echo!["sort"]!.GetValue<string>(), Is.EqualTo("title_string desc, id asc"));
    }

    [TestCase("name sideways")]
    [TestCase("popularity desc")]
    [TestCase("name")]
    public async Task A_bad_sort_is_a_search_query_error(string sort)
    {
        var r = await _anon.PostAsync("package_search", new { sort });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(r.ErrorType, Is.EqualTo("Search Query Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Is.EqualTo("Search Query is invalid: Invalid \"sort\" parameter"));
    }

    [Test]
    public async Task Unknown_parameters_are_a_search_query_error()
    {
        var r = await _anon.GetAsync("package_search", "q=x&limit=5&offset=2");
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(r.ErrorType, Is.EqualTo("Search Query Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Is.EqualTo("Search Query is invalid: Invalid search parameters: ['limit', 'offset']"));
        Assert.That((await _anon.GetAsync("package_search", "q=x&ext_bbox=1,2,3,4")).Status, Is.EqualTo(HttpStatusCode.OK), "ext_* goes to extensions");
    }

    [TestCase("title:(避難", null)]
    [TestCase(null, "organization:")]
    [TestCase(null, "metadata_modified:[yesterday TO *]")]
    [TestCase("{!lucene}name:x", null)]
    [TestCase(null, "metadata_modified:2025*")]
    [TestCase("metadata_created:2025~", null)]
    [TestCase("notes:\"避難", null)]
    [TestCase(null, "res_description:[a TO")]
    public async Task A_malformed_query_is_a_search_error(string? q, string? fq)
    {
        var data = new JsonObject();
        if (q is not null) data["q"] = q;
        if (fq is not null) data["fq"] = fq;
        var r = await _anon.PostAsync("package_search", data);
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.ErrorType, Is.EqualTo("Search Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Does.StartWith("Search error: "));
    }

    [Test]
    public async Task Rows_default_to_ten_and_are_capped_silently()
    {
        var result = await Search(_anon, new { rows = 5000 });
        Assert.That(result!["results"]!.AsArray().Count, Is.EqualTo(result["count"]!.GetValue<int>()));
        var bad = await _anon.PostAsync("package_search", new { rows = "many" });
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(bad.ErrorType, Is.EqualTo("Validation Error"));
    }

    [Test]
    public async Task Sort_by_id_pages_of_100_through_everything_to_an_empty_page()
    {
        await new CatalogFixtures(_host).OrganizationAsync("bulk-org", "一括登録課");
        var expected = new List<string>();
        for (var i = 0; i < 205; i++)
            expected.Add((await Create(new { name = $"bulk-{i:D3}", title = $"一括データ {i}", owner_org = "bulk-org" }))["id"]!.GetValue<string>());

        var seen = new List<string>();
        for (var start = 0; ; start += 100)
        {
            var r = await _anon.GetAsync("package_search", $"fq=organization:bulk-org&sort=id%20asc&rows=100&start={start}");
            var page = r.Ok()!["results"]!.AsArray().Select(x => x!["id"]!.GetValue<string>()).ToList();
            Assert.That(r.Result!["count"]!.GetValue<int>(), Is.EqualTo(205));
            if (page.Count == 0) break;
            seen.AddRange(page);
            Assert.That(start, Is.LessThan(1000), "paging must end");
        }
        Assert.That(seen, Is.EqualTo(expected.OrderBy(x => x, StringComparer.Ordinal).ToList()));
    }

    [Test]
    public async Task Remembered_answers_never_cross_callers_or_outlive_a_write()
    {
        // The same request, asked again and again, is answered from the result cache: each caller gets their own.
        var query = new { q = "予算書", include_private = true };
        for (var i = 0; i < 3; i++)
        {
            Assert.That(Names(await Search(_admin, query)), Is.EqualTo(new[] { "budget-private" }));
            Assert.That(Names(await Search(_anon, query)), Is.Empty);
            Assert.That(Names(await Search(_bob, query)), Is.Empty);
            Assert.That(Names(await Search(_alice, query)), Is.EqualTo(new[] { "budget-private" }));
        }

        // A write in between is seen by the very next identical request.
        await _admin.CallAsync("package_patch", new { id = "budget-private", @private = false });
        Assert.That(Names(await Search(_anon, query)), Is.EqualTo(new[] { "budget-private" }));
        await _admin.CallAsync("package_patch", new { id = "budget-private", @private = true });
        Assert.That(Names(await Search(_anon, query)), Is.Empty);
        Assert.That(Names(await Search(_bob, query)), Is.Empty);
    }

    [Test]
    public async Task Rebuild_is_for_sysadmins_and_keeps_search_working()
    {
        var denied = await _alice.PostAsync("search_index_rebuild");
        Assert.That(denied.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var result = await _admin.CallAsync("search_index_rebuild");
        // The six set up above that are not deleted (private and draft ones included), and whatever other tests added.
        Assert.That(result!["indexed"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(6));
        Assert.That(Names(await Search(_anon, new { q = "避難" })), Does.Contain("shelter-list"));
        Assert.That(Names(await Search(_alice, new { q = "name:alice-draft", include_drafts = true })), Is.EqualTo(new[] { "alice-draft" }));
    }
}
