using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Actions;

/// <summary>tag_list and tag_show: what they show, and that private datasets' tags stay private.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class TagActionsTests(TestStore store) : CatalogApiTests(store)
{
    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("tag-org");
    }

    private static object Tags(params string[] names) => new { tags = names.Select(n => new { name = n }).ToArray() };

    private static List<string> Names(JsonNode? result) => result!.AsArray().Select(x => x!.GetValue<string>()).ToList();

    [Test]
    public async Task Tag_list_hides_tags_only_private_datasets_use_from_anonymous()
    {
        await Fixtures.DatasetAsync("tl-public", "tag-org", extra: Tags("tla-shared", "tla-open"));
        await Fixtures.DatasetAsync("tl-private", "tag-org", isPrivate: true, extra: Tags("tla-shared", "tla-secret"));

        var anon = await Anon.GetAsync("tag_list", "query=tla-");
        Assert.That(Names(anon.Ok()), Is.EqualTo(new[] { "tla-open", "tla-shared" }));

        var admin = await Admin.CallAsync("tag_list", new { query = "tla-" });
        Assert.That(Names(admin), Is.EqualTo(new[] { "tla-open", "tla-secret", "tla-shared" }));
    }

    [Test]
    public async Task Organization_members_see_the_tags_of_their_private_datasets()
    {
        await Fixtures.OrganizationAsync("tag-member-org");
        var member = (await Fixtures.MemberAsync("tag-member", "tag-member-org", "member")).Client;
        await Fixtures.DatasetAsync("tm-private", "tag-member-org", isPrivate: true, extra: Tags("tmb-inside"));

        Assert.That(Names(await member.CallAsync("tag_list", new { query = "tmb-" })), Is.EqualTo(new[] { "tmb-inside" }));
        // A member of another organization sees nothing of it.
        var outsider = (await Fixtures.MemberAsync("tag-outsider", "tag-org", "admin")).Client;
        Assert.That(Names(await outsider.CallAsync("tag_list", new { query = "tmb-" })), Is.Empty);
    }

    [Test]
    public async Task Tag_list_matches_substrings_case_insensitively_and_sorts_by_name()
    {
        await Fixtures.DatasetAsync("tl-case", "tag-org", extra: Tags("TLC-Zeta", "tlc-alpha", "防災TLC", "unrelated-tlx"));

        var r = await Anon.CallAsync("tag_list", new { query = "tlc" });
        Assert.That(Names(r), Is.EqualTo(new[] { "TLC-Zeta", "tlc-alpha", "防災TLC" }));

        var japanese = await Anon.CallAsync("tag_list", new { q = "防災" });
        Assert.That(Names(japanese), Does.Contain("防災TLC"));

        var narrowed = await Anon.CallAsync("tag_list", new { query = new[] { "tlc", "zeta" } });
        Assert.That(Names(narrowed), Is.EqualTo(new[] { "TLC-Zeta" }));
    }

    [Test]
    public async Task Tag_list_all_fields_returns_tag_dicts()
    {
        var ds = await Fixtures.DatasetAsync("tl-fields", "tag-org", extra: Tags("tlf-only"));
        var tagId = ds["tags"]![0]!["id"]!.GetValue<string>();

        var r = (await Anon.GetAsync("tag_list", "query=tlf-&all_fields=true")).Ok()!.AsArray();
        Assert.That(r, Has.Count.EqualTo(1));
        Assert.That(r[0]!["id"]!.GetValue<string>(), Is.EqualTo(tagId));
        Assert.That(r[0]!["name"]!.GetValue<string>(), Is.EqualTo("tlf-only"));
        Assert.That(r[0]!.AsObject().ContainsKey("vocabulary_id"), Is.True);
        Assert.That(r[0]!["vocabulary_id"], Is.Null);
    }

    [Test]
    public async Task Tags_of_deleted_datasets_are_not_listed()
    {
        await Fixtures.DatasetAsync("tl-deleted", "tag-org", extra: Tags("tld-gone"));
        Assert.That(Names(await Anon.CallAsync("tag_list", new { query = "tld-" })), Is.EqualTo(new[] { "tld-gone" }));

        await Admin.CallAsync("package_delete", new { id = "tl-deleted" });
        Assert.That(Names(await Anon.CallAsync("tag_list", new { query = "tld-" })), Is.Empty);
    }

    [Test]
    public async Task Vocabulary_tags_are_listed_only_when_the_vocabulary_is_asked_for()
    {
        var vocabularyId = (await Admin.CallAsync("vocabulary_create", new { name = "tlv-vocab" }))!["id"]!.GetValue<string>();
        await Fixtures.DatasetAsync("tl-vocab", "tag-org",
            extra: new { tags = new object[] { new { name = "tlv-free" }, new { name = "tlv-kept", vocabulary_id = vocabularyId } } });

        Assert.That(Names(await Anon.CallAsync("tag_list", new { query = "tlv-" })), Is.EqualTo(new[] { "tlv-free" }));
        Assert.That(Names(await Anon.CallAsync("tag_list", new { vocabulary_id = "tlv-vocab" })), Is.EqualTo(new[] { "tlv-kept" }));

        var unknown = await Anon.PostAsync("tag_list", new { vocabulary_id = "no-such-vocabulary" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.ErrorType, Is.EqualTo("Not Found Error"));
    }

    [Test]
    public async Task Tag_show_by_name_or_id_lists_only_the_datasets_the_caller_may_see()
    {
        await Fixtures.DatasetAsync("ts-open", "tag-org", extra: Tags("tsh-both"));
        await Fixtures.DatasetAsync("ts-closed", "tag-org", isPrivate: true, extra: Tags("tsh-both"));

        var anon = (await Anon.GetAsync("tag_show", "id=tsh-both&include_datasets=true")).Ok()!.AsObject();
        Assert.That(anon["name"]!.GetValue<string>(), Is.EqualTo("tsh-both"));
        Assert.That(anon["display_name"]!.GetValue<string>(), Is.EqualTo("tsh-both"));
        Assert.That(anon["vocabulary_id"], Is.Null);
        var anonPackages = anon["packages"]!.AsArray();
        Assert.That(anonPackages.Select(p => p!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "ts-open" }));
        Assert.That(anonPackages[0]!["resources"], Is.Not.Null, "full package dicts");

        var byId = (await Admin.CallAsync("tag_show", new { id = anon["id"]!.GetValue<string>(), include_datasets = true }))!;
        Assert.That(byId["packages"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()),
            Is.EqualTo(new[] { "ts-closed", "ts-open" }));

        var without = (await Anon.CallAsync("tag_show", new { id = "tsh-both" }))!.AsObject();
        Assert.That(without.ContainsKey("packages"), Is.False);
    }

    [Test]
    public async Task Tag_show_unknown_tag_is_404_with_ckan_message()
    {
        var r = await Anon.GetAsync("tag_show", "id=no-such-tag");
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(r.ErrorType, Is.EqualTo("Not Found Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Is.EqualTo("Not found: Could not find tag \"no-such-tag\""));
    }

    [Test]
    public async Task Tag_show_of_a_private_only_tag_is_404_to_anonymous_but_shown_to_sysadmin()
    {
        await Fixtures.DatasetAsync("ts-hidden", "tag-org", isPrivate: true, extra: Tags("tsp-hidden"));

        var anon = await Anon.PostAsync("tag_show", new { id = "tsp-hidden" });
        Assert.That(anon.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(anon.Error["message"]!.GetValue<string>(), Is.EqualTo("Not found: Could not find tag \"tsp-hidden\""));

        var admin = await Admin.CallAsync("tag_show", new { id = "tsp-hidden" });
        Assert.That(admin!["name"]!.GetValue<string>(), Is.EqualTo("tsp-hidden"));
    }

    [Test]
    public async Task Tag_show_without_id_is_a_validation_error()
    {
        var r = await Anon.PostAsync("tag_show", new { });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.Error["id"]![0]!.GetValue<string>(), Is.EqualTo("Missing value"));
    }
}
