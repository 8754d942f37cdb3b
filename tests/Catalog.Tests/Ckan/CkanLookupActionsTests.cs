using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Ckan;

/// <summary>member_roles_list, group_package_show, the group, organization and user autocompletes, get_site_user.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class CkanLookupActionsTests(TestStore store) : CatalogApiTests(store)
{
    private TestUser _member = null!;

    protected override async Task ArrangeAsync()
    {
        _member = await Fixtures.UserAsync("lookup-member");
        await Fixtures.UserAsync("lookup-other");
        await Fixtures.OrganizationAsync("lookup-org", "三重県 防災対策部", (_member.Name, "member"));
        await Fixtures.OrganizationAsync("lookup-else", "健康福祉部");
        await Fixtures.GroupAsync("lookup-group", "防災・災害");
        await Fixtures.DatasetAsync("lookup-public", "lookup-org", extra: new { groups = new[] { new { name = "lookup-group" } } });
        await Fixtures.DatasetAsync("lookup-private", "lookup-org", isPrivate: true, extra: new { groups = new[] { new { name = "lookup-group" } } });
    }

    private static List<string> Names(JsonNode? list, string key = "name") =>
        list!.AsArray().Select(x => x![key]!.GetValue<string>()).ToList();

    [Test]
    public async Task Member_roles_differ_for_organizations_and_groups()
    {
        var org = await Anon.CallAsync("member_roles_list");
        Assert.That(org!.ToJsonString(), Is.EqualTo("""[{"text":"Admin","value":"admin"},{"text":"Editor","value":"editor"},{"text":"Member","value":"member"}]"""));
        Assert.That(Names(await Anon.CallAsync("member_roles_list", new { group_type = "group" }), "value"), Is.EqualTo(new[] { "admin", "member" }));
        var bad = await Anon.PostAsync("member_roles_list", new { group_type = "club" });
        Assert.That((bad.Status, bad.ErrorType), Is.EqualTo((HttpStatusCode.Conflict, "Validation Error")));
    }

    [Test]
    public async Task Group_package_show_lists_only_what_the_caller_may_read()
    {
        Assert.That(Names(await Anon.CallAsync("group_package_show", new { id = "lookup-group" })), Is.EqualTo(new[] { "lookup-public" }));
        Assert.That(Names(await _member.Client.CallAsync("group_package_show", new { id = "lookup-group" })),
            Is.EquivalentTo(new[] { "lookup-public", "lookup-private" }));
        Assert.That(Names(await Anon.CallAsync("group_package_show", new { id = "lookup-org" })), Is.EqualTo(new[] { "lookup-public" }));
        Assert.That(Names(await Admin.CallAsync("group_package_show", new { id = "lookup-group", limit = 1 })), Has.Count.EqualTo(1));
        var missing = await Anon.PostAsync("group_package_show", new { id = "no-such-group" });
        Assert.That((missing.Status, missing.ErrorType), Is.EqualTo((HttpStatusCode.NotFound, "Not Found Error")));
    }

    [Test]
    public async Task Group_and_organization_autocomplete_match_names_and_Japanese_titles()
    {
        var orgs = await Anon.CallAsync("organization_autocomplete", new { q = "防災" });
        Assert.That(Names(orgs), Is.EqualTo(new[] { "lookup-org" }));
        Assert.That(orgs![0]!.AsObject().Select(kv => kv.Key), Is.EquivalentTo(new[] { "id", "name", "title" }));
        Assert.That(Names(await Anon.CallAsync("organization_autocomplete", new { q = "LOOKUP" })), Is.EqualTo(new[] { "lookup-else", "lookup-org" }));
        Assert.That(Names(await Anon.CallAsync("group_autocomplete", new { q = "防災" })), Is.EqualTo(new[] { "lookup-group" }));
        var noQ = await Anon.PostAsync("group_autocomplete", new { });
        Assert.That((noQ.Status, noQ.ErrorType), Is.EqualTo((HttpStatusCode.Conflict, "Validation Error")));
    }

    [Test]
    public async Task User_autocomplete_follows_user_lists_rule_and_hides_the_site_user()
    {
        var anonymous = await Anon.PostAsync("user_autocomplete", new { q = "lookup" });
        Assert.That(anonymous.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var found = await _member.Client.CallAsync("user_autocomplete", new { q = "lookup" });
        Assert.That(Names(found), Is.EqualTo(new[] { "lookup-member", "lookup-other" }));
        Assert.That(found![0]!.AsObject().Select(kv => kv.Key), Is.EquivalentTo(new[] { "id", "name", "fullname" }));
        Assert.That(Names(await _member.Client.CallAsync("user_autocomplete", new { q = "lookup", ignore_self = true })), Is.EqualTo(new[] { "lookup-other" }));
        Assert.That(Names(await Admin.CallAsync("user_autocomplete", new { q = "catalog-site" })), Is.Empty);
    }

    [Test]
    public async Task Get_site_user_is_for_sysadmins()
    {
        var site = await Admin.CallAsync("get_site_user");
        Assert.That(site!["name"]!.GetValue<string>(), Is.EqualTo("catalog-site"));
        Assert.That((await _member.Client.PostAsync("get_site_user")).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Anon.PostAsync("get_site_user")).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
