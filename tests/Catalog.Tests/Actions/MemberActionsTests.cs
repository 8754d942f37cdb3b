using System.Net;
using System.Text.Json.Nodes;
using static Catalog.Tests.Infrastructure.CatalogFixtures;

namespace Catalog.Tests.Actions;

/// <summary>Membership actions: roles in organizations and groups, and what the roles then allow.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class MemberActionsTests(TestStore store) : CatalogApiTests(store)
{
    private async Task<string> OrganizationAsync() =>
        (await Fixtures.OrganizationAsync(Unique("org")))["name"]!.GetValue<string>();

    private static IEnumerable<(string Id, string Type, string Capacity)> Triples(JsonNode? list) =>
        list!.AsArray().Select(t => (t![0]!.GetValue<string>(), t[1]!.GetValue<string>(), t[2]!.GetValue<string>()));

    [Test]
    public async Task Roles_given_with_organization_member_create_show_in_member_list()
    {
        var org = await OrganizationAsync();
        var users = new Dictionary<string, TestUser>();
        foreach (var role in new[] { "member", "editor", "admin" })
        {
            users[role] = await Fixtures.UserAsync(Unique(role));
            var created = await Admin.CallAsync("organization_member_create", new { id = org, username = users[role].Name, role });
            Assert.That(created!["table_id"]!.GetValue<string>(), Is.EqualTo(users[role].Id));
            Assert.That(created["capacity"]!.GetValue<string>(), Is.EqualTo(role));
        }

        var all = Triples(await Anon.CallAsync("member_list", new { id = org, object_type = "user" })).ToList();
        Assert.That(all, Does.Contain((users["member"].Id, "user", "Member")));
        Assert.That(all, Does.Contain((users["editor"].Id, "user", "Editor")));
        Assert.That(all, Does.Contain((users["admin"].Id, "user", "Admin")));
        Assert.That(all, Has.Count.EqualTo(4), "three members and the creating sysadmin");
        var editors = Triples(await Anon.CallAsync("member_list", new { id = org, capacity = "editor" }));
        Assert.That(editors, Is.EqualTo(new[] { (users["editor"].Id, "user", "Editor") }));

        var shown = await Anon.CallAsync("organization_show", new { id = org });
        var roles = shown!["users"]!.AsArray().ToDictionary(u => u!["id"]!.GetValue<string>(), u => u!["capacity"]!.GetValue<string>());
        Assert.That(roles[users["editor"].Id], Is.EqualTo("editor"));
    }

    [Test]
    public async Task Bad_role_and_unknown_user_are_validation_errors()
    {
        var org = await OrganizationAsync();
        var user = await Fixtures.UserAsync(Unique("someone"));
        var badRole = await Admin.PostAsync("organization_member_create", new { id = org, username = user.Name, role = "owner" });
        Assert.That(badRole.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(badRole.Error["role"]![0]!.GetValue<string>(), Is.EqualTo("role does not exist."));

        var ghost = await Admin.PostAsync("organization_member_create", new { id = org, username = "ghost-user", role = "member" });
        Assert.That(ghost.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(ghost.Error["username"]![0]!.GetValue<string>(), Is.EqualTo("Not found: User"));

        var noOrg = await Admin.PostAsync("organization_member_create", new { id = "no-such-org", username = user.Name, role = "member" });
        Assert.That(noOrg.Status, Is.EqualTo(HttpStatusCode.NotFound));
        var missing = await Admin.PostAsync("member_create", new { id = org, @object = user.Name, object_type = "user" });
        Assert.That(missing.Error["capacity"]![0]!.GetValue<string>(), Is.EqualTo("Missing value"));
    }

    [Test]
    public async Task Organization_admins_manage_members_and_editors_cannot()
    {
        var org = await OrganizationAsync();
        var admin = await Fixtures.MemberAsync(Unique("boss"), org, "admin");
        var editor = await Fixtures.MemberAsync(Unique("staff"), org, "editor");
        var newcomer = await Fixtures.UserAsync(Unique("newcomer"));

        var denied = await editor.Client.PostAsync("organization_member_create", new { id = org, username = newcomer.Name, role = "member" });
        Assert.That(denied.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var alsoDenied = await editor.Client.PostAsync("member_create", new { id = org, @object = newcomer.Name, object_type = "user", capacity = "member" });
        Assert.That(alsoDenied.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Anon.PostAsync("organization_member_delete", new { id = org, username = editor.Name })).Status, Is.EqualTo(HttpStatusCode.Forbidden));

        await admin.Client.CallAsync("organization_member_create", new { id = org, username = newcomer.Name, role = "member" });
        Assert.That((await newcomer.Client.CallAsync("organization_list_for_user", new { }))!.AsArray().Select(o => o!["name"]!.GetValue<string>()),
            Is.EqualTo(new[] { org }));
        Assert.That(await admin.Client.CallAsync("organization_member_delete", new { id = org, username = newcomer.Name }), Is.Null);
        Assert.That(await newcomer.Client.CallAsync("organization_list_for_user", new { }), Is.Empty);
    }

    [Test]
    public async Task A_role_decides_what_the_member_may_do_with_datasets()
    {
        var org = await OrganizationAsync();
        var user = await Fixtures.MemberAsync(Unique("climber"), org, "member");
        var asMember = await user.Client.PostAsync("package_create", new { name = Unique("try"), owner_org = org });
        Assert.That(asMember.Status, Is.EqualTo(HttpStatusCode.Forbidden));

        await Admin.CallAsync("organization_member_create", new { id = org, username = user.Name, role = "editor" });
        var asEditor = await user.Client.CallAsync("package_create", new { name = Unique("made"), owner_org = org, @private = true });
        Assert.That(asEditor!["owner_org"]!.GetValue<string>(), Is.EqualTo((await Anon.CallAsync("organization_show", new { id = org }))!["id"]!.GetValue<string>()));
        Assert.That((await user.Client.PostAsync("organization_update", new { id = org, title = "x" })).Status, Is.EqualTo(HttpStatusCode.Forbidden),
            "an editor cannot change the organization itself");
    }

    [Test]
    public async Task Datasets_join_groups_not_organizations()
    {
        var org = await OrganizationAsync();
        var dataset = Unique("ds");
        await Fixtures.DatasetAsync(dataset, org);
        var r = await Admin.PostAsync("member_create", new { id = org, @object = dataset, object_type = "package", capacity = "public" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.Error["object_type"]![0]!.GetValue<string>(), Does.Contain("owner_org"));
        var badType = await Admin.PostAsync("member_create", new { id = org, @object = dataset, object_type = "tag", capacity = "public" });
        Assert.That(badType.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(badType.Error["object_type"]![0]!.GetValue<string>(), Is.EqualTo("Value must be one of package, user"));
    }

    [Test]
    public async Task Member_list_of_an_organization_shows_its_datasets_the_caller_may_see()
    {
        var org = await OrganizationAsync();
        var open = (await Fixtures.DatasetAsync(Unique("pub"), org))["id"]!.GetValue<string>();
        var hidden = (await Fixtures.DatasetAsync(Unique("priv"), org, isPrivate: true))["id"]!.GetValue<string>();

        Assert.That(Triples(await Anon.CallAsync("member_list", new { id = org, object_type = "package" })),
            Is.EqualTo(new[] { (open, "package", "organization") }));
        Assert.That(Triples(await Admin.CallAsync("member_list", new { id = org, object_type = "package" })).Select(t => t.Id),
            Is.EquivalentTo(new[] { open, hidden }));
        Assert.That((await Anon.PostAsync("member_list", new { id = "no-such-group" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Member_delete_takes_a_dataset_out_of_a_group()
    {
        var org = await OrganizationAsync();
        var dataset = Unique("leaving");
        await Fixtures.DatasetAsync(dataset, org);
        var group = Unique("grp");
        await Fixtures.GroupAsync(group);
        await Admin.CallAsync("member_create", new { id = group, @object = dataset, object_type = "package", capacity = "public" });
        var before = (await Anon.CallAsync("package_show", new { id = dataset }))!["metadata_modified"]!.GetValue<string>();

        Assert.That(await Admin.CallAsync("member_delete", new { id = group, @object = dataset, object_type = "package" }), Is.Null);
        var after = await Anon.CallAsync("package_show", new { id = dataset });
        Assert.That(after!["groups"]!.AsArray(), Is.Empty);
        Assert.That(string.CompareOrdinal(after["metadata_modified"]!.GetValue<string>(), before), Is.GreaterThan(0), "the dataset's dict changed");
        Assert.That((await Anon.CallAsync("group_show", new { id = group }))!["package_count"]!.GetValue<int>(), Is.Zero);
    }

    [Test]
    public async Task Group_members_add_datasets_but_only_group_admins_add_users()
    {
        var group = Unique("circle");
        var member = await Fixtures.UserAsync(Unique("gm"));
        var friend = await Fixtures.UserAsync(Unique("friend"));
        await Fixtures.GroupAsync(group, (member.Name, "member"));

        var r = await member.Client.PostAsync("member_create", new { id = group, @object = friend.Name, object_type = "user", capacity = "member" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await member.Client.PostAsync("group_member_delete", new { id = group, username = member.Name })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        await Admin.CallAsync("group_member_delete", new { id = group, username = member.Name });
        Assert.That(Triples(await Anon.CallAsync("member_list", new { id = group, object_type = "user" })).Select(t => t.Id), Does.Not.Contain(member.Id));
    }

    [Test]
    public async Task Admins_cannot_revoke_their_own_admin_role()
    {
        var org = await OrganizationAsync();
        var admin = await Fixtures.MemberAsync(Unique("selfadmin"), org, "admin");
        var r = await admin.Client.PostAsync("organization_member_create", new { id = org, username = admin.Name, role = "member" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(r.Error["message"]!.GetValue<string>(), Is.EqualTo("Access denied: Administrators cannot revoke their own admin status"));
    }
}
