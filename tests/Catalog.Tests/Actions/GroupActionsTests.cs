using System.Net;
using System.Text.Json.Nodes;
using static Catalog.Tests.Infrastructure.CatalogFixtures;

namespace Catalog.Tests.Actions;

/// <summary>group_* actions: groups share the organization table and handlers, but hold datasets as members.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class GroupActionsTests(TestStore store) : CatalogApiTests(store)
{
    /// <summary>The names in a list of names or of dicts.</summary>
    private static string[] Names(JsonNode? list) =>
        list!.AsArray().Select(n => (n is JsonObject o ? o["name"]! : n!).GetValue<string>()).ToArray();

    /// <summary>An organization owning one public and one private dataset, and a group.</summary>
    private async Task<(string Org, string Public, string Private, string Group)> SetUpAsync()
    {
        var org = Unique("owner");
        await Admin.CallAsync("organization_create", new { name = org });
        var open = Unique("open");
        var hidden = Unique("hidden");
        await Fixtures.DatasetAsync(open, org);
        await Fixtures.DatasetAsync(hidden, org, isPrivate: true);
        var group = Unique("theme");
        await Admin.CallAsync("group_create", new { name = group, title = "防災" });
        return (org, open, hidden, group);
    }

    [Test]
    public async Task Create_and_show_a_group()
    {
        var name = Unique("env");
        var created = await Admin.CallAsync("group_create", new { name, title = "環境", extras = new[] { new { key = "k", value = "v" } } });
        Assert.That(created!["type"]!.GetValue<string>(), Is.EqualTo("group"));
        Assert.That(created["is_organization"]!.GetValue<bool>(), Is.False);
        Assert.That(created["users"]![0]!["capacity"]!.GetValue<string>(), Is.EqualTo("admin"));

        var shown = await Anon.CallAsync("group_show", new { id = name, include_users = false, include_extras = false, include_dataset_count = false });
        Assert.That(shown!["title"]!.GetValue<string>(), Is.EqualTo("環境"));
        Assert.That(shown.AsObject().ContainsKey("users"), Is.False);
        Assert.That(shown.AsObject().ContainsKey("extras"), Is.False);
        Assert.That(shown.AsObject().ContainsKey("package_count"), Is.False);
        Assert.That((await Anon.GetAsync("group_show", $"id={name}")).Result!["extras"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("v"));
        Assert.That((await Anon.PostAsync("group_show", new { id = "no-such-group" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await Anon.CallAsync("group_list", new { groups = new[] { name } }), Has.Count.EqualTo(1));
        Assert.That(await Anon.CallAsync("organization_list", new { organizations = new[] { name } }), Is.Empty);
    }

    [Test]
    public async Task Extras_keys_must_be_unique_and_not_a_group_field()
    {
        var r = await Admin.PostAsync("group_create", new
        {
            name = Unique("extras"),
            extras = new[] { new { key = "a", value = "1" }, new { key = " a", value = "2" }, new { key = "title", value = "t" } },
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.Error["extras_validation"]!.AsArray().Select(m => m!.GetValue<string>()),
            Is.EqualTo(new[] { "Duplicate key \"a\"", "There is a schema field with the same name: \"title\"" }));

        var name = Unique("patched");
        await Fixtures.GroupAsync(name);
        var groupPatch = await Admin.PostAsync("group_patch", new { id = name, extras = new[] { new { key = "k", value = "1" }, new { key = "k", value = "2" } } });
        Assert.That(groupPatch.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(groupPatch.Error["extras_validation"]![0]!.GetValue<string>(), Is.EqualTo("Duplicate key \"k\""));
    }

    [Test]
    public async Task Group_create_refuses_the_organization_type()
    {
        var r = await Admin.PostAsync("group_create", new { name = Unique("sneaky"), type = "organization" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.Error["type"]![0]!.GetValue<string>(), Is.EqualTo("Trying to create an organization as a group"));
    }

    [Test]
    public async Task A_group_member_adds_a_visible_dataset_with_member_create()
    {
        var (_, open, hidden, group) = await SetUpAsync();
        var member = await Fixtures.UserAsync(Unique("curator"));
        var outsider = await Fixtures.UserAsync(Unique("stranger"));
        await Admin.CallAsync("group_member_create", new { id = group, username = member.Name, role = "member" });

        var denied = await outsider.Client.PostAsync("member_create", new { id = group, @object = open, object_type = "package", capacity = "public" });
        Assert.That(denied.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var notReadable = await member.Client.PostAsync("member_create", new { id = group, @object = hidden, object_type = "package", capacity = "public" });
        Assert.That(notReadable.Status, Is.EqualTo(HttpStatusCode.Forbidden), "a private dataset the member cannot read");

        var added = await member.Client.CallAsync("member_create", new { id = group, @object = open, object_type = "package", capacity = "public" });
        Assert.That(added!["table_name"]!.GetValue<string>(), Is.EqualTo("package"));
        Assert.That(added["capacity"]!.GetValue<string>(), Is.EqualTo("public"));
        Assert.That(added["state"]!.GetValue<string>(), Is.EqualTo("active"));

        var shown = await Anon.CallAsync("group_show", new { id = group, include_datasets = true });
        Assert.That(shown!["package_count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(Names(shown["packages"]), Is.EqualTo(new[] { open }));
        var dataset = await Anon.CallAsync("package_show", new { id = open });
        Assert.That(Names(dataset!["groups"]), Is.EqualTo(new[] { group }));
    }

    [Test]
    public async Task Datasets_given_at_creation_join_the_group()
    {
        var (_, open, _, _) = await SetUpAsync();
        var name = Unique("seeded");
        var created = await Admin.CallAsync("group_create", new { name, packages = new[] { new { name = open } } });
        Assert.That(created!["package_count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(Names((await Anon.CallAsync("package_show", new { id = open }))!["groups"]), Is.EqualTo(new[] { name }));

        var unknown = await Admin.PostAsync("group_create", new { name = Unique("nothing"), packages = new[] { new { name = "no-such-dataset" } } });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(unknown.Error["packages"]![0]!.GetValue<string>(), Is.EqualTo("Dataset \"no-such-dataset\" does not exist"));
    }

    [Test]
    public async Task Package_count_of_a_group_hides_private_datasets()
    {
        var (_, open, hidden, group) = await SetUpAsync();
        foreach (var dataset in new[] { open, hidden })
            await Admin.CallAsync("member_create", new { id = group, @object = dataset, object_type = "package", capacity = "public" });

        Assert.That((await Anon.CallAsync("group_show", new { id = group }))!["package_count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That((await Admin.CallAsync("group_show", new { id = group }))!["package_count"]!.GetValue<int>(), Is.EqualTo(2));
        var listed = await Anon.CallAsync("group_list", new { groups = new[] { group }, all_fields = true });
        Assert.That(listed![0]!["package_count"]!.GetValue<int>(), Is.EqualTo(1));
        var members = await Anon.CallAsync("member_list", new { id = group, object_type = "package" });
        Assert.That(members!.AsArray().Select(m => m![0]!.GetValue<string>()),
            Is.EqualTo(new[] { (await Anon.CallAsync("package_show", new { id = open }))!["id"]!.GetValue<string>() }));
    }

    [Test]
    public async Task Deleting_a_group_ends_its_memberships()
    {
        var (_, open, _, group) = await SetUpAsync();
        await Admin.CallAsync("member_create", new { id = group, @object = open, object_type = "package", capacity = "public" });
        Assert.That(await Admin.CallAsync("group_delete", new { id = group }), Is.Null);

        Assert.That(Names(await Anon.CallAsync("group_list", new { q = group })), Is.Empty);
        Assert.That((await Anon.CallAsync("package_show", new { id = open }))!["groups"]!.AsArray(), Is.Empty);
        Assert.That((await Anon.PostAsync("group_show", new { id = group })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Admin.CallAsync("group_show", new { id = group }))!["state"]!.GetValue<string>(), Is.EqualTo("deleted"));
    }

    [Test]
    public async Task Group_members_may_not_edit_the_group_but_its_admins_may()
    {
        var group = Unique("edit");
        var member = await Fixtures.UserAsync(Unique("gmember"));
        var admin = await Fixtures.UserAsync(Unique("gadmin"));
        await Fixtures.GroupAsync(group, (member.Name, "member"), (admin.Name, "admin"));

        Assert.That((await member.Client.PostAsync("group_patch", new { id = group, title = "x" })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await member.Client.PostAsync("group_delete", new { id = group })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var patched = await admin.Client.CallAsync("group_patch", new { id = group, description = "説明を追加" });
        Assert.That(patched!["description"]!.GetValue<string>(), Is.EqualTo("説明を追加"));
        Assert.That(patched["users"]!.AsArray().Select(u => u!["name"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "admin", member.Name, admin.Name }), "patch keeps the members");
        var updated = await admin.Client.CallAsync("group_update", new { id = group, title = "更新", users = new[] { new { name = admin.Name, capacity = "admin" } } });
        Assert.That(updated!["users"]!.AsArray().Select(u => u!["name"]!.GetValue<string>()), Is.EqualTo(new[] { admin.Name }),
            "a given users list replaces the members");
        Assert.That(updated["description"]!.GetValue<string>(), Is.Empty);
    }

    [Test]
    public async Task Group_list_sorts_by_package_count_as_the_caller_sees_it()
    {
        var (_, open, hidden, big) = await SetUpAsync();
        var small = $"{big}-small";
        await Admin.CallAsync("group_create", new { name = small, title = "AAA" });
        await Admin.CallAsync("member_create", new { id = big, @object = open, object_type = "package", capacity = "public" });
        foreach (var dataset in new[] { open, hidden })
            await Admin.CallAsync("member_create", new { id = small, @object = dataset, object_type = "package", capacity = "public" });

        var filter = new[] { big, small };
        Assert.That(Names(await Anon.CallAsync("group_list", new { groups = filter })), Is.EqualTo(new[] { small, big }), "title asc: AAA before 防災");
        Assert.That(Names(await Admin.CallAsync("group_list", new { groups = filter, sort = "package_count desc" })), Is.EqualTo(new[] { small, big }));
        Assert.That(Names(await Anon.CallAsync("group_list", new { groups = filter, sort = "package_count desc" })), Is.EqualTo(new[] { big, small }),
            "anonymous callers see one dataset in each, so the name decides");
        var counts = (await Anon.CallAsync("group_list", new { groups = filter, all_fields = true }))!.AsArray()
            .ToDictionary(g => g!["name"]!.GetValue<string>(), g => g!["package_count"]!.GetValue<int>());
        Assert.That(counts, Is.EquivalentTo(new Dictionary<string, int> { [big] = 1, [small] = 1 }));
    }

    [Test]
    public async Task Group_list_authz_gives_the_groups_a_member_may_add_datasets_to()
    {
        var group = Unique("authz");
        await Admin.CallAsync("group_create", new { name = group });
        var member = await Fixtures.UserAsync(Unique("authzuser"));
        Assert.That(await member.Client.CallAsync("group_list_authz", new { }), Is.Empty);
        await Admin.CallAsync("group_member_create", new { id = group, username = member.Name, role = "member" });
        Assert.That(Names(await member.Client.CallAsync("group_list_authz", new { })), Is.EqualTo(new[] { group }));
        Assert.That(Names(await Admin.CallAsync("group_list_authz", new { })), Does.Contain(group));
        Assert.That(await Anon.CallAsync("group_list_authz", new { }), Is.Empty);
    }
}
