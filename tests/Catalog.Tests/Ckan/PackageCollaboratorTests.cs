using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Ckan;

/// <summary>
/// package_collaborator_* called as ckanapi calls them: an organization admin shares a private dataset with users of
/// other departments; members read it (show, search, downloads go through the same rule), editors also edit it.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class PackageCollaboratorTests(TestStore store) : CatalogApiTests(store)
{
    private TestUser _orgAdmin = null!;
    private TestUser _orgEditor = null!;
    private TestUser _member = null!;
    private TestUser _editor = null!;
    private TestUser _outsider = null!;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("collab-org");
        await Fixtures.OrganizationAsync("collab-other");
        _orgAdmin = await Fixtures.MemberAsync("collab-orgadmin", "collab-org", "admin");
        _orgEditor = await Fixtures.MemberAsync("collab-orgeditor", "collab-org", "editor");
        // Members of another department: nothing of collab-org is theirs until shared.
        _member = await Fixtures.MemberAsync("collab-member", "collab-other", "editor");
        _editor = await Fixtures.MemberAsync("collab-editor", "collab-other", "member");
        _outsider = await Fixtures.UserAsync("collab-outsider");
    }

    private async Task<string> PrivateDatasetAsync(string name) =>
        (await Fixtures.DatasetAsync(name, "collab-org", isPrivate: true))["id"]!.GetValue<string>();

    [Test]
    public async Task Create_returns_the_collaborator_and_list_shows_every_one()
    {
        var id = await PrivateDatasetAsync("collab-golden");
        var created = await _orgAdmin.Client.PostAsync("package_collaborator_create", new { id = "collab-golden", user_id = "collab-member", capacity = "member" });
        Golden.AssertMatches("package_collaborator_create", created.Envelope, Host.BaseUrl);
        Assert.That(created.Result!["package_id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(created.Result!["user_id"]!.GetValue<string>(), Is.EqualTo(_member.Id));

        await _orgAdmin.Client.CallAsync("package_collaborator_create", new { id, user_id = _editor.Id, capacity = "editor" });
        var all = (await _orgAdmin.Client.CallAsync("package_collaborator_list", new { id }))!.AsArray();
        Assert.That(all.Select(c => (c!["user_id"]!.GetValue<string>(), c["capacity"]!.GetValue<string>())),
            Is.EquivalentTo(new[] { (_member.Id, "member"), (_editor.Id, "editor") }));
        var editors = (await _orgAdmin.Client.GetAsync("package_collaborator_list", $"id={id}&capacity=editor")).Ok()!.AsArray();
        Assert.That(editors.Select(c => c!["user_id"]!.GetValue<string>()), Is.EqualTo(new[] { _editor.Id }));

        // Creating again changes the role: still one row.
        await _orgAdmin.Client.CallAsync("package_collaborator_create", new { id, user_id = "collab-member", capacity = "editor" });
        var again = (await Admin.CallAsync("package_collaborator_list", new { id }))!.AsArray();
        Assert.That(again.Count(c => c!["user_id"]!.GetValue<string>() == _member.Id), Is.EqualTo(1));
        Assert.That(again.Single(c => c!["user_id"]!.GetValue<string>() == _member.Id)!["capacity"]!.GetValue<string>(), Is.EqualTo("editor"));
    }

    [Test]
    public async Task A_member_collaborator_reads_the_private_dataset_and_an_editor_also_edits_it()
    {
        var id = await PrivateDatasetAsync("collab-shared");
        foreach (var client in new[] { _member.Client, _editor.Client, _outsider.Client })
            Assert.That((await client.PostAsync("package_show", new { id })).Status, Is.EqualTo(HttpStatusCode.Forbidden), "not shared yet");

        await _orgAdmin.Client.CallAsync("package_collaborator_create", new { id, user_id = "collab-member", capacity = "member" });
        await _orgAdmin.Client.CallAsync("package_collaborator_create", new { id, user_id = "collab-editor", capacity = "editor" });

        Assert.That((await _member.Client.CallAsync("package_show", new { id }))!["name"]!.GetValue<string>(), Is.EqualTo("collab-shared"));
        Assert.That((await _outsider.Client.PostAsync("package_show", new { id })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        // The index carries the same rule: the collaborator finds it among private datasets, the outsider does not.
        Assert.That(await FoundAsync(_member.Client, "collab-shared"), Is.True);
        Assert.That(await FoundAsync(_outsider.Client, "collab-shared"), Is.False);

        var refused = await _member.Client.PostAsync("package_patch", new { id, title = "メンバーは変えられない" });
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Forbidden), refused.Body);
        Assert.That(refused.ErrorType, Is.EqualTo("Authorization Error"));
        var patched = await _editor.Client.CallAsync("package_patch", new { id, title = "共同編集者が変えた" });
        Assert.That(patched!["title"]!.GetValue<string>(), Is.EqualTo("共同編集者が変えた"));
        var resource = await _editor.Client.PostAsync("resource_create", new { package_id = id, url = "https://e.lg.jp/shared.csv", name = "共有" });
        Assert.That(resource.Status, Is.EqualTo(HttpStatusCode.OK), resource.Body);
        // Editing one dataset gives nothing in its organization.
        var moved = await _editor.Client.PostAsync("package_create", new { name = "collab-not-theirs", owner_org = "collab-org" });
        Assert.That(moved.Status, Is.EqualTo(HttpStatusCode.Forbidden), moved.Body);

        await _orgAdmin.Client.CallAsync("package_collaborator_delete", new { id, user_id = "collab-member" });
        Assert.That((await _member.Client.PostAsync("package_show", new { id })).Status, Is.EqualTo(HttpStatusCode.Forbidden), "no longer shared");
        Assert.That(await FoundAsync(_member.Client, "collab-shared"), Is.False);
    }

    [Test]
    public async Task An_editor_collaborator_cannot_move_the_dataset_to_their_own_organization()
    {
        var id = await PrivateDatasetAsync("collab-stays");
        // collab-member is an editor of collab-other, so only the collaborator rule stands in the way.
        await _orgAdmin.Client.CallAsync("package_collaborator_create", new { id, user_id = "collab-member", capacity = "editor" });

        var moved = await _member.Client.PostAsync("package_patch", new { id, owner_org = "collab-other" });
        Assert.That(moved.Status, Is.EqualTo(HttpStatusCode.Conflict), moved.Body);
        Assert.That(moved.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(moved.Body, Does.Contain("owner_org"));
        var kept = await Admin.CallAsync("package_show", new { id });
        Assert.That(kept!["organization"]!["name"]!.GetValue<string>(), Is.EqualTo("collab-org"));

        // Editing it in place still works, and naming its own organization is no move.
        var patched = await _member.Client.CallAsync("package_patch", new { id, owner_org = "collab-org", title = "動かさず編集" });
        Assert.That(patched!["title"]!.GetValue<string>(), Is.EqualTo("動かさず編集"));
    }

    private static async Task<bool> FoundAsync(CkanClient client, string name)
    {
        var r = (await client.CallAsync("package_search", new { q = $"name:{name}", include_private = true }))!;
        return r["results"]!.AsArray().Any(p => p!["name"]!.GetValue<string>() == name);
    }

    [Test]
    public async Task List_for_user_answers_the_user_themself_and_sysadmins_only()
    {
        var id = await PrivateDatasetAsync("collab-mine");
        await _orgAdmin.Client.CallAsync("package_collaborator_create", new { id, user_id = "collab-outsider", capacity = "member" });

        var mine = (await _outsider.Client.CallAsync("package_collaborator_list_for_user", new { id = "collab-outsider" }))!.AsArray();
        var entry = mine.Single(c => c!["package_id"]!.GetValue<string>() == id)!.AsObject();
        Assert.That(entry.Select(kv => kv.Key), Is.EqualTo(new[] { "package_id", "capacity", "modified" }));
        Assert.That(entry["capacity"]!.GetValue<string>(), Is.EqualTo("member"));
        Assert.That((await Admin.CallAsync("package_collaborator_list_for_user", new { id = _outsider.Id, capacity = "member" }))!.AsArray(), Has.Count.GreaterThanOrEqualTo(1));
        Assert.That((await Admin.CallAsync("package_collaborator_list_for_user", new { id = _outsider.Id, capacity = "editor" }))!.AsArray(), Is.Empty);

        foreach (var client in new[] { Anon, _member.Client, _orgAdmin.Client })
        {
            var r = await client.PostAsync("package_collaborator_list_for_user", new { id = "collab-outsider" });
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), r.Body);
            Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
        }
        var unknown = await Admin.PostAsync("package_collaborator_list_for_user", new { id = "no-such-user" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.Forbidden), unknown.Body);
    }

    [Test]
    public async Task Errors_are_CKANs()
    {
        var id = await PrivateDatasetAsync("collab-errors");

        var role = await _orgAdmin.Client.PostAsync("package_collaborator_create", new { id, user_id = "collab-member", capacity = "admin" });
        Assert.That(role.Status, Is.EqualTo(HttpStatusCode.Conflict), role.Body);
        Assert.That(role.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(role.Error["message"]!.GetValue<string>(), Is.EqualTo("Role must be one of \"editor, member\""));

        var missing = await _orgAdmin.Client.PostAsync("package_collaborator_create", new { id, user_id = "collab-member" });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.Conflict), missing.Body);
        Assert.That(missing.Error["capacity"]![0]!.GetValue<string>(), Is.EqualTo("Missing value"));

        var noUser = await _orgAdmin.Client.PostAsync("package_collaborator_create", new { id, user_id = "no-such-user", capacity = "member" });
        Assert.That(noUser.Status, Is.EqualTo(HttpStatusCode.NotFound), noUser.Body);
        Assert.That(noUser.ErrorType, Is.EqualTo("Not Found Error"));

        var noDataset = await Admin.PostAsync("package_collaborator_list", new { id = "no-such-dataset" });
        Assert.That(noDataset.Status, Is.EqualTo(HttpStatusCode.NotFound), noDataset.Body);

        var notOne = await _orgAdmin.Client.PostAsync("package_collaborator_delete", new { id, user_id = "collab-outsider" });
        Assert.That(notOne.Status, Is.EqualTo(HttpStatusCode.NotFound), notOne.Body);
        Assert.That(notOne.Error["message"]!.GetValue<string>(), Does.Contain("is not a collaborator on this package"));

        var badCapacity = await _orgAdmin.Client.PostAsync("package_collaborator_list", new { id, capacity = "owner" });
        Assert.That(badCapacity.Status, Is.EqualTo(HttpStatusCode.Conflict), badCapacity.Body);

        // Only admins of the dataset's organization manage its collaborators: not its editors, not collaborators.
        await _orgAdmin.Client.CallAsync("package_collaborator_create", new { id, user_id = "collab-editor", capacity = "editor" });
        foreach (var client in new[] { Anon, _orgEditor.Client, _editor.Client, _outsider.Client })
            foreach (var action in new[] { "package_collaborator_create", "package_collaborator_list", "package_collaborator_delete" })
            {
                var r = await client.PostAsync(action, new { id, user_id = "collab-outsider", capacity = "member" });
                Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), $"{action}: {r.Body}");
                Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
            }
    }

    [Test]
    public async Task Deleting_the_user_or_purging_the_dataset_removes_the_collaboration()
    {
        var id = await PrivateDatasetAsync("collab-gone");
        var leaver = await Fixtures.UserAsync("collab-leaver");
        await _orgAdmin.Client.CallAsync("package_collaborator_create", new { id, user_id = leaver.Id, capacity = "editor" });
        await _orgAdmin.Client.CallAsync("package_collaborator_create", new { id, user_id = "collab-outsider", capacity = "member" });
        await Admin.CallAsync("user_delete", new { id = leaver.Id });
        var left = (await Admin.CallAsync("package_collaborator_list", new { id }))!.AsArray();
        Assert.That(left.Select(c => c!["user_id"]!.GetValue<string>()), Is.EqualTo(new[] { _outsider.Id }));

        await Admin.CallAsync("dataset_purge", new { id });
        var forUser = (await Admin.CallAsync("package_collaborator_list_for_user", new { id = _outsider.Id }))!.AsArray();
        Assert.That(forUser.Select(c => c!["package_id"]!.GetValue<string>()), Does.Not.Contain(id));
    }
}

/// <summary>The two settings: collaborators off (CKAN's default, refused as CKAN refuses), and admin collaborators on.</summary>
public sealed class PackageCollaboratorSettingsTests
{
    [Test]
    public async Task Off_every_action_says_collaborators_are_not_enabled()
    {
        using var host = new CatalogHost(settings: new() { ["Catalog:Auth:AllowDatasetCollaborators"] = "false" });
        var fx = new CatalogFixtures(host);
        await fx.OrganizationAsync("off-org");
        await fx.UserAsync("off-user");
        await fx.DatasetAsync("off-ds", "off-org", isPrivate: true);
        using var admin = host.Sysadmin();
        foreach (var (action, data) in new (string, object)[]
        {
            ("package_collaborator_create", new { id = "off-ds", user_id = "off-user", capacity = "member" }),
            ("package_collaborator_delete", new { id = "off-ds", user_id = "off-user" }),
            ("package_collaborator_list", new { id = "off-ds" }),
            ("package_collaborator_list_for_user", new { id = "off-user" }),
        })
        {
            var r = await admin.PostAsync(action, data);
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), $"{action}: {r.Body}");
            Assert.That(r.Error["message"]!.GetValue<string>(), Is.EqualTo("Dataset collaborators not enabled"));
        }
    }

    [Test]
    public async Task With_admin_collaborators_an_admin_collaborator_manages_the_collaborators()
    {
        using var host = new CatalogHost(settings: new() { ["Catalog:Auth:AllowAdminCollaborators"] = "true" });
        var fx = new CatalogFixtures(host);
        await fx.OrganizationAsync("adm-org");
        var boss = await fx.UserAsync("adm-boss");
        var helper = await fx.UserAsync("adm-helper");
        var id = (await fx.DatasetAsync("adm-ds", "adm-org", isPrivate: true))["id"]!.GetValue<string>();
        using var admin = host.Sysadmin();

        Assert.That((await admin.CallAsync("package_collaborator_create", new { id, user_id = "adm-boss", capacity = "admin" }))!["capacity"]!.GetValue<string>(), Is.EqualTo("admin"));
        var added = await boss.Client.CallAsync("package_collaborator_create", new { id, user_id = "adm-helper", capacity = "editor" });
        Assert.That(added!["user_id"]!.GetValue<string>(), Is.EqualTo(helper.Id));
        Assert.That((await boss.Client.CallAsync("package_collaborator_list", new { id }))!.AsArray(), Has.Count.EqualTo(2));
        Assert.That((await boss.Client.CallAsync("package_patch", new { id, notes = "管理者の共同編集者" }))!["notes"]!.GetValue<string>(), Is.EqualTo("管理者の共同編集者"));
        // An editor collaborator still may not manage them.
        var refused = await helper.Client.PostAsync("package_collaborator_delete", new { id, user_id = "adm-boss" });
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Forbidden), refused.Body);
    }
}
