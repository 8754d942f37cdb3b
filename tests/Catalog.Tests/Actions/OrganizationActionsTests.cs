using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Catalog.Tests.Infrastructure.CatalogFixtures;

namespace Catalog.Tests.Actions;

/// <summary>organization_* actions (reference §2.2, §3.3): dicts, validation, rights, soft delete, private counts.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class OrganizationActionsTests(TestStore store) : CatalogApiTests(store)
{
    private static string[] Names(JsonNode? list) => list!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Test]
    public async Task Create_returns_the_full_dict_and_makes_the_creator_admin()
    {
        var name = Unique("city");
        var org = (await Admin.CallAsync("organization_create", new
        {
            name, title = "津市", description = "県庁所在地",
            extras = new[] { new { key = "code", value = "242012" } },
        }))!.AsObject();

        Assert.That(org["name"]!.GetValue<string>(), Is.EqualTo(name));
        Assert.That(org["title"]!.GetValue<string>(), Is.EqualTo("津市"));
        Assert.That(org["display_name"]!.GetValue<string>(), Is.EqualTo("津市"));
        Assert.That(org["description"]!.GetValue<string>(), Is.EqualTo("県庁所在地"));
        Assert.That(org["type"]!.GetValue<string>(), Is.EqualTo("organization"));
        Assert.That(org["is_organization"]!.GetValue<bool>(), Is.True);
        Assert.That(org["state"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(org["approval_status"]!.GetValue<string>(), Is.EqualTo("approved"));
        Assert.That(org["package_count"]!.GetValue<int>(), Is.Zero);
        Assert.That(Guid.TryParse(org["id"]!.GetValue<string>(), out _), Is.True);
        Assert.That(org["created"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$"));
        Assert.That(org["extras"]!.ToJsonString(), Is.EqualTo("""[{"key":"code","value":"242012"}]"""));
        var users = org["users"]!.AsArray();
        Assert.That(users, Has.Count.EqualTo(1));
        Assert.That(users[0]!["name"]!.GetValue<string>(), Is.EqualTo("admin"));
        Assert.That(users[0]!["capacity"]!.GetValue<string>(), Is.EqualTo("admin"));

        var shown = await Anon.CallAsync("organization_show", new { id = org["id"]!.GetValue<string>() });
        Assert.That(shown!["name"]!.GetValue<string>(), Is.EqualTo(name));
        Assert.That(shown["users"]![0]!.AsObject().ContainsKey("email"), Is.False, "anonymous callers never see e-mails");
        Assert.That(Names(await Anon.CallAsync("organization_list", new { organizations = new[] { name } })), Is.EqualTo(new[] { name }));
    }

    [TestCase("Bad Name", "name", "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_")]
    [TestCase("x", "name", "Must be at least 2 characters long")]
    [TestCase("", "name", "Missing value")]
    public async Task Create_validates_the_name(string name, string field, string message)
    {
        var r = await Admin.PostAsync("organization_create", new { name });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(r.Error[field]![0]!.GetValue<string>(), Is.EqualTo(message));
    }

    [Test]
    public async Task Names_are_unique_across_organizations_and_groups()
    {
        var name = Unique("dup");
        await Admin.CallAsync("group_create", new { name });
        var r = await Admin.PostAsync("organization_create", new { name });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.Error["name"]![0]!.GetValue<string>(), Is.EqualTo("Group name already exists in database"));
    }

    [Test]
    public async Task Sysadmin_may_choose_a_uuid_id_and_nothing_else()
    {
        var id = Guid.NewGuid().ToString();
        var org = await Admin.CallAsync("organization_create", new { name = Unique("withid"), id });
        Assert.That(org!["id"]!.GetValue<string>(), Is.EqualTo(id));
        var bad = await Admin.PostAsync("organization_create", new { name = Unique("badid"), id = "not-a-uuid" });
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(bad.Error["id"]![0]!.GetValue<string>(), Is.EqualTo("Must be a valid UUID"));
    }

    [Test]
    public async Task Unknown_id_is_404_and_a_group_is_not_an_organization()
    {
        var r = await Anon.PostAsync("organization_show", new { id = "no-such-org" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(r.ErrorType, Is.EqualTo("Not Found Error"));

        var group = Unique("grp");
        await Admin.CallAsync("group_create", new { name = group });
        Assert.That((await Anon.PostAsync("organization_show", new { id = group })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Admin.PostAsync("organization_update", new { id = group, title = "x" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Only_sysadmins_create_organizations()
    {
        var user = await Fixtures.UserAsync(Unique("plain"));
        var r = await user.Client.PostAsync("organization_create", new { name = Unique("mine") });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
        Assert.That((await Anon.PostAsync("organization_create", new { name = Unique("anon") })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Update_replaces_fields_and_patch_merges_them()
    {
        var name = Unique("upd");
        await Admin.CallAsync("organization_create", new
        {
            name, title = "旧名称", description = "説明", image_url = "https://example.lg.jp/logo.png",
            extras = new[] { new { key = "code", value = "1" } },
        });

        var patched = await Admin.CallAsync("organization_patch", new { id = name, title = "新名称" });
        Assert.That(patched!["title"]!.GetValue<string>(), Is.EqualTo("新名称"));
        Assert.That(patched["description"]!.GetValue<string>(), Is.EqualTo("説明"));
        Assert.That(patched["extras"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(patched["users"]!.AsArray().Select(u => u!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "admin" }));

        var renamed = Unique("renamed");
        var updated = await Admin.CallAsync("organization_update", new { id = name, name = renamed, title = "更新" });
        Assert.That(updated!["name"]!.GetValue<string>(), Is.EqualTo(renamed));
        Assert.That(updated["title"]!.GetValue<string>(), Is.EqualTo("更新"));
        Assert.That(updated["description"]!.GetValue<string>(), Is.Empty, "update replaces: what is not given is cleared");
        Assert.That(updated["image_url"]!.GetValue<string>(), Is.Empty);
        Assert.That(updated["extras"]!.AsArray(), Is.Empty);
        Assert.That((await Anon.PostAsync("organization_show", new { id = name })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Only_admins_of_the_organization_update_it()
    {
        var name = Unique("rights");
        var admin = await Fixtures.UserAsync(Unique("orgadmin"));
        var editor = await Fixtures.UserAsync(Unique("orgeditor"));
        var outsider = await Fixtures.UserAsync(Unique("outsider"));
        await Fixtures.OrganizationAsync(name, (admin.Name, "admin"), (editor.Id, "editor"));

        foreach (var denied in new[] { editor.Client, outsider.Client, Anon })
        {
            var r = await denied.PostAsync("organization_patch", new { id = name, title = "乗っ取り" });
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(r.Error["message"]!.GetValue<string>(), Does.StartWith("Access denied: User"));
        }
        Assert.That((await editor.Client.PostAsync("organization_delete", new { id = name })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var ok = await admin.Client.CallAsync("organization_patch", new { id = name, title = "管理者が変更" });
        Assert.That(ok!["title"]!.GetValue<string>(), Is.EqualTo("管理者が変更"));
    }

    [Test]
    public async Task Delete_is_soft_hides_the_organization_and_keeps_its_name()
    {
        var name = Unique("gone");
        var id = (await Admin.CallAsync("organization_create", new { name }))!["id"]!.GetValue<string>();
        Assert.That(await Admin.CallAsync("organization_delete", new { id = name }), Is.Null);

        Assert.That(Names(await Anon.CallAsync("organization_list", new { q = name })), Is.Empty);
        var anonShow = await Anon.PostAsync("organization_show", new { id });
        Assert.That(anonShow.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var adminShow = await Admin.CallAsync("organization_show", new { id });
        Assert.That(adminShow!["state"]!.GetValue<string>(), Is.EqualTo("deleted"));
        Assert.That(adminShow["users"]!.AsArray(), Is.Empty, "deleting ends the memberships");
        var again = await Admin.PostAsync("organization_create", new { name });
        Assert.That(again.Error["name"]![0]!.GetValue<string>(), Is.EqualTo("Group name already exists in database"));
    }

    [Test]
    public async Task An_organization_with_datasets_cannot_be_deleted()
    {
        var name = Unique("busy");
        await Admin.CallAsync("organization_create", new { name });
        var dataset = Unique("ds");
        await Fixtures.DatasetAsync(dataset, name);

        var r = await Admin.PostAsync("organization_delete", new { id = name });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.Error["message"]!.GetValue<string>(), Is.EqualTo("Organization cannot be deleted while it still has datasets"));
        Assert.That((await Anon.CallAsync("organization_show", new { id = name }))!["state"]!.GetValue<string>(), Is.EqualTo("active"));

        await Admin.CallAsync("package_delete", new { id = dataset });
        Assert.That((await Admin.PostAsync("organization_delete", new { id = name })).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Private_datasets_are_counted_and_shown_only_for_members()
    {
        var name = Unique("private");
        await Fixtures.OrganizationAsync(name);
        var member = await Fixtures.MemberAsync(Unique("reader"), name, "member");
        var open = Unique("open");
        await Fixtures.DatasetAsync(open, name);
        await Fixtures.DatasetAsync(Unique("secret"), name, isPrivate: true);

        var anonShow = await Anon.CallAsync("organization_show", new { id = name, include_datasets = true });
        Assert.That(anonShow!["package_count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(anonShow["packages"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()), Is.EqualTo(new[] { open }));
        var listed = await Anon.CallAsync("organization_list", new { organizations = new[] { name }, all_fields = true });
        Assert.That(listed![0]!["package_count"]!.GetValue<int>(), Is.EqualTo(1));

        var memberShow = await member.Client.CallAsync("organization_show", new { id = name, include_datasets = true });
        Assert.That(memberShow!["package_count"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(memberShow["packages"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(memberShow["packages"]![0]!["resources"], Is.Not.Null, "datasets come as full package dicts");
        Assert.That((await Admin.CallAsync("organization_show", new { id = name }))!["package_count"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task List_sorts_filters_and_pages()
    {
        var prefix = Unique("sort");
        var a = $"{prefix}-a"; var b = $"{prefix}-b"; var c = $"{prefix}-c";
        await Admin.CallAsync("organization_create", new { name = a, title = "Cherry" });
        await Admin.CallAsync("organization_create", new { name = b, title = "apple" });
        await Admin.CallAsync("organization_create", new { name = c, title = "Banana" });
        await Fixtures.DatasetAsync(Unique("d1"), c);
        await Fixtures.DatasetAsync(Unique("d2"), c);
        await Fixtures.DatasetAsync(Unique("d3"), a);

        Assert.That(Names(await Anon.CallAsync("organization_list", new { q = prefix })), Is.EqualTo(new[] { b, c, a }), "title asc by default");
        Assert.That(Names(await Anon.CallAsync("organization_list", new { q = prefix, sort = "name desc" })), Is.EqualTo(new[] { c, b, a }));
        Assert.That(Names(await Anon.CallAsync("organization_list", new { q = prefix, sort = "package_count" })), Is.EqualTo(new[] { c, a, b }));
        Assert.That(Names(await Anon.CallAsync("organization_list", new { q = prefix, sort = "name", limit = 1, offset = 1 })), Is.EqualTo(new[] { b }));
        var viaGet = await Anon.GetAsync("organization_list", $"q={prefix}&sort=name%20asc&limit=2&all_fields=true");
        Assert.That(viaGet.Result!.AsArray().Select(o => o!["name"]!.GetValue<string>()), Is.EqualTo(new[] { a, b }));
        Assert.That(viaGet.Result![0]!["package_count"]!.GetValue<int>(), Is.EqualTo(1));

        var bad = await Anon.PostAsync("organization_list", new { sort = "created desc" });
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(bad.Error["message"]!.GetValue<string>(), Is.EqualTo("Cannot sort by field `created`"));
    }

    [Test]
    public async Task All_fields_lists_are_capped_at_25()
    {
        var prefix = Unique("many");
        for (var i = 0; i < 27; i++) await Admin.CallAsync("organization_create", new { name = $"{prefix}-{i:D2}" });
        var all = await Anon.CallAsync("organization_list", new { q = prefix, all_fields = true, limit = 100 });
        Assert.That(all!.AsArray(), Has.Count.EqualTo(25));
        Assert.That(all[0]!.AsObject().ContainsKey("users"), Is.False);
        Assert.That((await Anon.CallAsync("organization_list", new { q = prefix, limit = 100 }))!.AsArray(), Has.Count.EqualTo(27));
    }

    [Test]
    public async Task List_for_user_gives_the_organizations_where_the_user_has_the_permission()
    {
        var user = await Fixtures.UserAsync(Unique("multi"));
        var orgs = new Dictionary<string, string>();
        foreach (var role in new[] { "member", "editor", "admin" })
        {
            var name = Unique($"for-{role}");
            await Fixtures.OrganizationAsync(name, (user.Name, role));
            orgs[name] = role;
        }

        var mine = (await user.Client.CallAsync("organization_list_for_user", new { }))!.AsArray();
        Assert.That(mine.ToDictionary(o => o!["name"]!.GetValue<string>(), o => o!["capacity"]!.GetValue<string>()), Is.EquivalentTo(orgs));
        Assert.That(mine[0]!.AsObject().ContainsKey("package_count"), Is.False);

        var editable = await Anon.CallAsync("organization_list_for_user", new { id = user.Id, permission = "create_dataset", include_dataset_count = true });
        Assert.That(editable!.AsArray().Select(o => orgs[o!["name"]!.GetValue<string>()]), Is.EquivalentTo(new[] { "editor", "admin" }));
        Assert.That(editable[0]!["package_count"]!.GetValue<int>(), Is.Zero);

        Assert.That((await Anon.CallAsync("organization_list_for_user", new { }))!.AsArray(), Is.Empty);
        var sysadmin = (await Admin.CallAsync("organization_list_for_user", new { }))!.AsArray();
        Assert.That(sysadmin.Select(o => o!["name"]!.GetValue<string>()), Is.SupersetOf(orgs.Keys));
        Assert.That(sysadmin.All(o => o!["capacity"]!.GetValue<string>() == "admin"), Is.True);
        Assert.That((await Anon.PostAsync("organization_list_for_user", new { id = "nobody-at-all" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Writes_are_recorded_in_the_change_feed()
    {
        var name = Unique("feed");
        var id = (await Admin.CallAsync("organization_create", new { name }))!["id"]!.GetValue<string>();
        await Admin.CallAsync("organization_patch", new { id, title = "変更" });
        await Admin.CallAsync("organization_delete", new { id });

        using var scope = Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var activities = await db.Activities.Where(a => a.ObjectId == id).OrderBy(a => a.Seq).ToListAsync();
        Assert.That(activities.Select(a => a.ActivityType),
            Is.EqualTo(new[] { "new organization", "changed organization", "deleted organization" }));
        Assert.That(activities.All(a => a.ObjectType == "organization"), Is.True);
        var snapshot = JsonNode.Parse(activities[1].Data)!["organization"]!;
        Assert.That(snapshot["title"]!.GetValue<string>(), Is.EqualTo("変更"));
        Assert.That(snapshot.AsObject().ContainsKey("users"), Is.False, "the feed carries no member details");
    }

    [Test]
    public async Task Users_given_at_creation_become_members()
    {
        var username = (await Fixtures.UserAsync(Unique("given"))).Name;
        var org = await Admin.CallAsync("organization_create", new
        {
            name = Unique("staffed"), users = new[] { new { name = username, capacity = "editor" } },
        });
        var users = org!["users"]!.AsArray().ToDictionary(u => u!["name"]!.GetValue<string>(), u => u!["capacity"]!.GetValue<string>());
        Assert.That(users, Is.EquivalentTo(new Dictionary<string, string> { ["admin"] = "admin", [username] = "editor" }));

        var bad = await Admin.PostAsync("organization_create", new { name = Unique("nobody"), users = new[] { new { name = "ghost-user" } } });
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(bad.Error["users"]![0]!.GetValue<string>(), Is.EqualTo("User \"ghost-user\" does not exist"));
    }
}
