using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Actions;

/// <summary>
/// package_, organization_, group_, user_, dashboard_ and recently_changed_packages_activity_list, and who may read
/// which stream.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class ActivityActionsTests(TestStore store) : CatalogApiTests(store)
{
    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("act-org");
    }

    private static List<string> Types(JsonNode? list) =>
        list!.AsArray().Select(a => a!["activity_type"]!.GetValue<string>()).ToList();

    private static List<string> Ids(JsonNode? list) =>
        list!.AsArray().Select(a => a!["id"]!.GetValue<string>()).ToList();

    [Test]
    public async Task Create_update_and_delete_are_listed_newest_first()
    {
        var ds = await Fixtures.DatasetAsync("act-life", "act-org");
        await Admin.CallAsync("package_patch", new { id = "act-life", title = "新しい題名" });
        await Admin.CallAsync("package_delete", new { id = "act-life" });

        var list = await Admin.CallAsync("package_activity_list", new { id = "act-life" });
        Assert.That(Types(list), Is.EqualTo(new[] { "deleted package", "changed package", "new package" }));

        var adminId = (await Admin.CallAsync("package_show", new { id = "act-life" }))!["creator_user_id"]!.GetValue<string>();
        var items = list!.AsArray().Select(a => a!.AsObject()).ToList();
        foreach (var a in items)
        {
            Assert.That(a["object_id"]!.GetValue<string>(), Is.EqualTo(ds["id"]!.GetValue<string>()));
            Assert.That(a["user_id"]!.GetValue<string>(), Is.EqualTo(adminId));
            Assert.That(a["id"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(a["timestamp"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$"));
            Assert.That(a["data"]!["package"]!["name"]!.GetValue<string>(), Is.EqualTo("act-life"));
            Assert.That(a["data"]!["actor"]!.GetValue<string>(), Is.EqualTo("admin"));
        }
        Assert.That(items[1]["data"]!["package"]!["title"]!.GetValue<string>(), Is.EqualTo("新しい題名"));
        Assert.That(items[2]["data"]!["package"]!["title"]!.GetValue<string>(), Is.EqualTo("データセット act-life"));
        Assert.That(items[0]["data"]!["package"]!["state"]!.GetValue<string>(), Is.EqualTo("deleted"));
    }

    [Test]
    public async Task Limit_and_offset_page_through_the_stream()
    {
        await Fixtures.DatasetAsync("act-pages", "act-org");
        for (var i = 1; i <= 4; i++)
            await Admin.CallAsync("package_patch", new { id = "act-pages", notes = $"版 {i}" });

        var all = Ids(await Anon.CallAsync("package_activity_list", new { id = "act-pages" }));
        Assert.That(all, Has.Count.EqualTo(5));

        var first = await Anon.GetAsync("package_activity_list", "id=act-pages&limit=2");
        Assert.That(Ids(first.Ok()), Is.EqualTo(all.Take(2)));
        var second = await Anon.GetAsync("package_activity_list", "id=act-pages&limit=2&offset=2");
        Assert.That(Ids(second.Ok()), Is.EqualTo(all.Skip(2).Take(2)));
        var last = await Anon.CallAsync("package_activity_list", new { id = "act-pages", limit = 2, offset = 4 });
        Assert.That(Ids(last), Is.EqualTo(all.Skip(4)));
        var notes = (await Anon.CallAsync("package_activity_list", new { id = "act-pages", limit = 1 }))![0]!["data"]!["package"]!["notes"];
        Assert.That(notes!.GetValue<string>(), Is.EqualTo("版 4"));

        var negative = await Anon.PostAsync("package_activity_list", new { id = "act-pages", limit = -1 });
        Assert.That(negative.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(negative.Error["limit"]![0]!.GetValue<string>(), Is.EqualTo("Must be a natural number"));
    }

    [Test]
    public async Task After_and_before_select_by_time()
    {
        await Fixtures.DatasetAsync("act-time", "act-org");
        await Admin.CallAsync("package_patch", new { id = "act-time", notes = "一" });
        await Admin.CallAsync("package_patch", new { id = "act-time", notes = "二" });
        var all = (await Anon.CallAsync("package_activity_list", new { id = "act-time" }))!.AsArray();
        var newest = all[0]!["timestamp"]!.GetValue<string>();
        var oldest = all[2]!["timestamp"]!.GetValue<string>();

        var before = await Anon.CallAsync("package_activity_list", new { id = "act-time", before = newest });
        Assert.That(Ids(before), Is.EqualTo(Ids(all).Skip(1)));

        // "after" with a limit takes the activities just after it, still newest first.
        var after = await Anon.CallAsync("package_activity_list", new { id = "act-time", after = oldest, limit = 1 });
        Assert.That(Ids(after), Is.EqualTo(new[] { Ids(all)[1] }));

        var unix = DateTimeOffset.Parse(oldest + "Z").ToUnixTimeMilliseconds() / 1000.0 - 60;
        var sinceUnix = await Anon.GetAsync("package_activity_list", $"id=act-time&after={unix.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.That(Ids(sinceUnix.Ok()), Is.EqualTo(Ids(all)));

        var bad = await Anon.PostAsync("package_activity_list", new { id = "act-time", after = "not a time" });
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(bad.Error["after"]![0]!.GetValue<string>(), Is.EqualTo("Date format incorrect"));
    }

    [Test]
    public async Task Activity_types_filter_includes_or_excludes()
    {
        await Fixtures.DatasetAsync("act-types", "act-org");
        await Admin.CallAsync("package_patch", new { id = "act-types", notes = "x" });

        var only = await Anon.CallAsync("package_activity_list", new { id = "act-types", activity_types = new[] { "new package" } });
        Assert.That(Types(only), Is.EqualTo(new[] { "new package" }));
        var without = await Anon.CallAsync("package_activity_list", new { id = "act-types", exclude_activity_types = new[] { "new package" } });
        Assert.That(Types(without), Is.EqualTo(new[] { "changed package" }));

        var both = await Anon.PostAsync("package_activity_list",
            new { id = "act-types", activity_types = new[] { "new package" }, exclude_activity_types = new[] { "changed package" } });
        Assert.That(both.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(both.Error["activity_types"]![0]!.GetValue<string>(), Does.StartWith("Cannot be used together"));
    }

    [Test]
    public async Task A_private_datasets_stream_is_403_to_anonymous_and_readable_by_members()
    {
        await Fixtures.OrganizationAsync("act-private-org");
        var member = (await Fixtures.MemberAsync("act-member", "act-private-org", "member")).Client;
        await Fixtures.DatasetAsync("act-secret", "act-private-org", isPrivate: true);

        var anon = await Anon.GetAsync("package_activity_list", "id=act-secret");
        Assert.That(anon.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(anon.ErrorType, Is.EqualTo("Authorization Error"));
        Assert.That(anon.Body, Does.Not.Contain("new package"));

        Assert.That(Types(await member.CallAsync("package_activity_list", new { id = "act-secret" })), Is.EqualTo(new[] { "new package" }));
    }

    [Test]
    public async Task Unknown_dataset_is_404_and_a_deleted_ones_stream_is_403_to_anonymous()
    {
        var unknown = await Anon.GetAsync("package_activity_list", "id=act-no-such-dataset");
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.ErrorType, Is.EqualTo("Not Found Error"));

        await Fixtures.DatasetAsync("act-removed", "act-org");
        await Admin.CallAsync("package_delete", new { id = "act-removed" });
        var deleted = await Anon.GetAsync("package_activity_list", "id=act-removed");
        Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_purged_datasets_stream_is_gone_except_for_sysadmins_by_id()
    {
        var ds = await Fixtures.DatasetAsync("act-purged", "act-org");
        var id = ds["id"]!.GetValue<string>();
        await Admin.CallAsync("dataset_purge", new { id });

        var anon = await Anon.GetAsync("package_activity_list", $"id={id}");
        Assert.That(anon.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(anon.ErrorType, Is.EqualTo("Not Found Error"));

        var admin = await Admin.CallAsync("package_activity_list", new { id });
        Assert.That(Types(admin), Is.EqualTo(new[] { "deleted package", "new package" }));
        Assert.That(admin![0]!["data"]!["package"]!["state"]!.GetValue<string>(), Is.EqualTo("purged"));
    }

    [Test]
    public async Task The_site_users_changes_are_hidden_unless_a_sysadmin_asks()
    {
        using (var scope = Host.Services.CreateScope())
        {
            var site = await SiteUser.EnsureAsync(scope.ServiceProvider.GetRequiredService<CatalogDbContext>(), TimeProvider.System);
            var dispatcher = Host.Services.GetRequiredService<ActionDispatcher>();
            await dispatcher.InvokeAsync("package_create", site, new JsonObject { ["name"] = "act-harvested", ["owner_org"] = "act-org" });
        }
        await Admin.CallAsync("package_patch", new { id = "act-harvested", notes = "手で直した" });

        Assert.That(Types(await Anon.CallAsync("package_activity_list", new { id = "act-harvested" })), Is.EqualTo(new[] { "changed package" }));
        Assert.That(Types(await Anon.CallAsync("package_activity_list", new { id = "act-harvested", include_hidden_activity = true })),
            Is.EqualTo(new[] { "changed package" }), "only sysadmins may include hidden activity");
        var admin = await Admin.CallAsync("package_activity_list", new { id = "act-harvested", include_hidden_activity = true });
        Assert.That(Types(admin), Is.EqualTo(new[] { "changed package", "new package" }));
        Assert.That(admin![1]!["data"]!["actor"]!.GetValue<string>(), Is.EqualTo(SiteUser.Name));
    }

    [Test]
    public async Task Recently_changed_shows_only_datasets_the_caller_may_read()
    {
        var open = (await Fixtures.DatasetAsync("act-recent-open", "act-org"))["id"]!.GetValue<string>();
        var closed = (await Fixtures.DatasetAsync("act-recent-closed", "act-org", isPrivate: true))["id"]!.GetValue<string>();
        var gone = (await Fixtures.DatasetAsync("act-recent-gone", "act-org"))["id"]!.GetValue<string>();
        await Admin.CallAsync("package_delete", new { id = gone });
        await Admin.CallAsync("package_patch", new { id = open, notes = "更新" });

        var anon = (await Anon.GetAsync("recently_changed_packages_activity_list", "limit=100")).Ok()!.AsArray();
        var anonObjects = anon.Select(a => a!["object_id"]!.GetValue<string>()).ToList();
        Assert.That(anonObjects, Does.Contain(open));
        Assert.That(anonObjects, Does.Not.Contain(closed));
        Assert.That(anonObjects, Does.Not.Contain(gone));
        Assert.That(anon[0]!["object_id"]!.GetValue<string>(), Is.EqualTo(open), "newest first");
        Assert.That(anon[0]!["activity_type"]!.GetValue<string>(), Is.EqualTo("changed package"));

        var admin = (await Admin.CallAsync("recently_changed_packages_activity_list", new { limit = 100 }))!.AsArray();
        var adminObjects = admin.Select(a => a!["object_id"]!.GetValue<string>()).ToList();
        Assert.That(adminObjects, Does.Contain(closed));
        Assert.That(adminObjects, Does.Contain(gone));
    }

    [Test]
    public async Task Recently_changed_pages_with_limit_and_offset()
    {
        await Fixtures.DatasetAsync("act-recent-a", "act-org");
        await Fixtures.DatasetAsync("act-recent-b", "act-org");
        var top = Ids(await Anon.CallAsync("recently_changed_packages_activity_list", new { limit = 3 }));
        Assert.That(top, Has.Count.EqualTo(3));
        var next = Ids(await Anon.CallAsync("recently_changed_packages_activity_list", new { limit = 2, offset = 1 }));
        Assert.That(next, Is.EqualTo(top.Skip(1)));
        var defaulted = await Anon.GetAsync("recently_changed_packages_activity_list", "limit=1000");
        Assert.That(defaulted.Ok()!.AsArray().Count, Is.LessThanOrEqualTo(100));
    }

    /// <summary>
    /// An organization with a public and a private dataset made by its editor and put in a group, a member of it, and a
    /// member of another organization.
    /// </summary>
    private sealed record PrivateSetup(
        string Org, string Group, string PublicId, string PrivateId, TestUser Editor, TestUser Member, TestUser Outsider);

    private async Task<PrivateSetup> PrivateSetupAsync(string prefix)
    {
        var org = $"{prefix}-org";
        var group = $"{prefix}-group";
        await Fixtures.OrganizationAsync(org);
        await Fixtures.OrganizationAsync($"{prefix}-other");
        await Fixtures.GroupAsync(group);
        var editor = await Fixtures.MemberAsync($"{prefix}-editor", org, "editor");
        var member = await Fixtures.MemberAsync($"{prefix}-member", org, "member");
        var outsider = await Fixtures.MemberAsync($"{prefix}-outsider", $"{prefix}-other", "admin");

        var open = await editor.Client.CallAsync("package_create", new { name = $"{prefix}-open", owner_org = org });
        var closed = await editor.Client.CallAsync("package_create", new { name = $"{prefix}-closed", owner_org = org, @private = true });
        await editor.Client.CallAsync("package_patch", new { id = $"{prefix}-closed", notes = "秘密の更新" });
        foreach (var name in new[] { $"{prefix}-open", $"{prefix}-closed" })
            await Admin.CallAsync("member_create", new { id = group, @object = name, object_type = "package", capacity = "public" });
        return new PrivateSetup(org, group, open!["id"]!.GetValue<string>(), closed!["id"]!.GetValue<string>(), editor, member, outsider);
    }

    private static List<string> Objects(JsonNode? list) =>
        list!.AsArray().Select(a => a!["object_id"]!.GetValue<string>()).ToList();

    [Test]
    public async Task Organization_and_group_streams_show_private_datasets_only_to_their_readers()
    {
        var s = await PrivateSetupAsync("act-og");
        var orgId = (await Anon.CallAsync("organization_show", new { id = s.Org }))!["id"]!.GetValue<string>();
        var groupId = (await Anon.CallAsync("group_show", new { id = s.Group }))!["id"]!.GetValue<string>();

        foreach (var (action, id, ownId) in new[] { ("organization_activity_list", s.Org, orgId), ("group_activity_list", s.Group, groupId) })
        {
            foreach (var (who, client) in new[] { ("anonymous", Anon), ("outsider", s.Outsider.Client) })
            {
                var list = await client.CallAsync(action, new { id });
                Assert.That(Objects(list), Does.Contain(s.PublicId).And.Contain(ownId), $"{action} as {who}");
                Assert.That(Objects(list), Does.Not.Contain(s.PrivateId), $"{action} as {who}");
                Assert.That(list!.ToJsonString(), Does.Not.Contain("act-og-closed"), $"{action} as {who}");
            }
            foreach (var (who, client) in new[] { ("member", s.Member.Client), ("sysadmin", Admin) })
            {
                var list = await client.CallAsync(action, new { id, limit = 100 });
                var privateTypes = list!.AsArray().Where(a => a!["object_id"]!.GetValue<string>() == s.PrivateId)
                    .Select(a => a!["activity_type"]!.GetValue<string>()).ToList();
                Assert.That(privateTypes, Does.Contain("new package").And.Contain("changed package"), $"{action} as {who}");
                Assert.That(Objects(list), Does.Contain(s.PublicId), $"{action} as {who}");
            }
        }

        var orgOnly = await Anon.CallAsync("organization_activity_list", new { id = s.Org, activity_types = new[] { "new organization" } });
        Assert.That(Types(orgOnly), Is.EqualTo(new[] { "new organization" }));
        var paged = await s.Member.Client.CallAsync("organization_activity_list", new { id = s.Org, limit = 1, offset = 1 });
        Assert.That(Ids(paged), Is.EqualTo(Ids(await s.Member.Client.CallAsync("organization_activity_list", new { id = s.Org })).Skip(1).Take(1)));

        var unknown = await Anon.PostAsync("organization_activity_list", new { id = "act-no-such-org" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
        var wrongKind = await Anon.PostAsync("group_activity_list", new { id = s.Org });
        Assert.That(wrongKind.Status, Is.EqualTo(HttpStatusCode.NotFound), "an organization is not a group");
    }

    [Test]
    public async Task A_users_stream_leaves_out_what_the_caller_may_not_read()
    {
        var s = await PrivateSetupAsync("act-us");

        var anon = await Anon.PostAsync("user_activity_list", new { id = s.Editor.Name });
        Assert.That(anon.Status, Is.EqualTo(HttpStatusCode.Forbidden), "user details are not public by default");

        var asOutsider = await s.Outsider.Client.CallAsync("user_activity_list", new { id = s.Editor.Name });
        Assert.That(Objects(asOutsider), Is.EqualTo(new[] { s.PublicId }));
        Assert.That(asOutsider!.ToJsonString(), Does.Not.Contain("act-us-closed"));

        var asMember = await s.Member.Client.CallAsync("user_activity_list", new { id = s.Editor.Id });
        Assert.That(Objects(asMember), Is.EqualTo(new[] { s.PrivateId, s.PrivateId, s.PublicId }));
        Assert.That(Types(asMember), Is.EqualTo(new[] { "changed package", "new package", "new package" }));
        Assert.That(asMember!.AsArray().All(a => a!["user_id"]!.GetValue<string>() == s.Editor.Id), Is.True);

        var asSelf = await s.Editor.Client.CallAsync("user_activity_list", new { id = s.Editor.Name, limit = 1 });
        Assert.That(Types(asSelf), Is.EqualTo(new[] { "changed package" }));

        var unknown = await s.Member.Client.PostAsync("user_activity_list", new { id = "act-no-such-user" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_dashboard_is_for_logged_in_users_their_own_activity_and_their_organizations()
    {
        var s = await PrivateSetupAsync("act-db");

        var anon = await Anon.PostAsync("dashboard_activity_list");
        Assert.That(anon.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(anon.Error["message"]!.GetValue<string>(), Does.Contain("You must be logged in to access your dashboard."));

        var orgId = (await Anon.CallAsync("organization_show", new { id = s.Org }))!["id"]!.GetValue<string>();
        var asMember = await s.Member.Client.CallAsync("dashboard_activity_list", new { limit = 100 });
        Assert.That(Objects(asMember), Does.Contain(s.PrivateId).And.Contain(s.PublicId).And.Contain(orgId));
        // Once marked as seen, nothing on the dashboard is new.
        await s.Member.Client.CallAsync("dashboard_mark_activities_old");
        asMember = await s.Member.Client.CallAsync("dashboard_activity_list", new { limit = 100 });
        Assert.That(asMember!.AsArray().All(a => a!["is_new"]!.GetValue<bool>() == false), Is.True);

        // The outsider belongs to another organization and did nothing: nothing of this one reaches them.
        var asOutsider = await s.Outsider.Client.CallAsync("dashboard_activity_list", new { limit = 100 });
        Assert.That(Objects(asOutsider), Does.Not.Contain(s.PrivateId).And.Not.Contain(s.PublicId).And.Not.Contain(orgId));

        // The editor sees their own changes; once out of the organization, no longer those on its private dataset.
        Assert.That(Objects(await s.Editor.Client.CallAsync("dashboard_activity_list")), Does.Contain(s.PrivateId));
        await Admin.CallAsync("organization_member_delete", new { id = s.Org, username = s.Editor.Name });
        var asFormerEditor = await s.Editor.Client.CallAsync("dashboard_activity_list");
        Assert.That(Objects(asFormerEditor), Does.Contain(s.PublicId).And.Not.Contain(s.PrivateId));

        var oldest = asMember.AsArray().Last()!["timestamp"]!.GetValue<string>();
        var before = await s.Member.Client.CallAsync("dashboard_activity_list", new { before = oldest });
        Assert.That(before!.AsArray(), Is.Empty);
    }
}
