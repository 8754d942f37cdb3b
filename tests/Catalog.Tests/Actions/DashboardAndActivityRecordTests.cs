using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Actions;

/// <summary>
/// The dashboard with what its user follows, its new-activity count and mark-as-seen; activity_show,
/// activity_data_show, activity_diff and activity_create; send_email_notifications without a mail server.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class DashboardAndActivityRecordTests(TestStore store) : CatalogApiTests(store)
{
    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("dash-org");
        await Fixtures.OrganizationAsync("dash-other");
        await Fixtures.GroupAsync("dash-group");
    }

    private static List<string> Names(JsonNode? list) =>
        list!.AsArray().Select(a => a!["data"]?["package"]?["name"]?.GetValue<string>() ?? a!["data"]?["group"]?["name"]?.GetValue<string>() ?? "").ToList();

    [Test]
    public async Task The_dashboard_shows_what_its_user_follows_and_counts_the_new()
    {
        var reader = await Fixtures.UserAsync(CatalogFixtures.Unique("dash-reader"));
        var writer = await Fixtures.MemberAsync(CatalogFixtures.Unique("dash-writer"), "dash-other", "editor");
        var followed = CatalogFixtures.Unique("dash-followed");
        var unfollowed = CatalogFixtures.Unique("dash-unfollowed");
        var inGroup = CatalogFixtures.Unique("dash-ingroup");
        await Fixtures.DatasetAsync(followed, "dash-org");
        await Fixtures.DatasetAsync(unfollowed, "dash-org");
        await Fixtures.DatasetAsync(inGroup, "dash-org", extra: new { groups = new[] { new { name = "dash-group" } } });
        await reader.Client.CallAsync("follow_dataset", new { id = followed });
        await reader.Client.CallAsync("follow_group", new { id = "dash-group" });
        await reader.Client.CallAsync("follow_user", new { id = writer.Name });
        await reader.Client.CallAsync("dashboard_mark_activities_old");
        Assert.That((await reader.Client.CallAsync("dashboard_new_activities_count"))!.GetValue<int>(), Is.EqualTo(0));

        await Admin.CallAsync("package_patch", new { id = followed, notes = "更新" });
        await Admin.CallAsync("package_patch", new { id = unfollowed, notes = "更新" });
        await Admin.CallAsync("package_patch", new { id = inGroup, notes = "更新" });
        var byWriter = CatalogFixtures.Unique("dash-bywriter");
        await writer.Client.CallAsync("package_create", new { name = byWriter, owner_org = "dash-other", @private = true });

        var list = await reader.Client.CallAsync("dashboard_activity_list");
        var names = Names(list);
        Assert.That(names, Does.Contain(followed).And.Contain(inGroup));
        Assert.That(names, Does.Not.Contain(unfollowed));
        // The followed user's private dataset is not the reader's to see.
        Assert.That(names, Does.Not.Contain(byWriter));
        Assert.That(list!.AsArray().Where(a => a!["is_new"]!.GetValue<bool>()).Select(a => a!["data"]!["package"]!["name"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { followed, inGroup }));
        Assert.That((await reader.Client.GetAsync("dashboard_new_activities_count")).Ok()!.GetValue<int>(), Is.EqualTo(2));

        // Public now: the followed user's change comes to the dashboard.
        await writer.Client.CallAsync("package_patch", new { id = byWriter, @private = false });
        Assert.That(Names(await reader.Client.CallAsync("dashboard_activity_list")), Does.Contain(byWriter));
        // Its creation, hidden while private, counts too: a stream shows what its reader may read now.
        Assert.That((await reader.Client.CallAsync("dashboard_new_activities_count"))!.GetValue<int>(), Is.EqualTo(4));

        await reader.Client.CallAsync("dashboard_mark_activities_old");
        Assert.That((await reader.Client.CallAsync("dashboard_new_activities_count"))!.GetValue<int>(), Is.EqualTo(0));
        Assert.That((await reader.Client.CallAsync("dashboard_activity_list"))!.AsArray().Any(a => a!["is_new"]!.GetValue<bool>()), Is.False);

        Assert.That((await Anon.PostAsync("dashboard_new_activities_count")).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Anon.PostAsync("dashboard_mark_activities_old")).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Activity_show_data_show_and_diff()
    {
        var name = CatalogFixtures.Unique("dash-diff");
        await Fixtures.DatasetAsync(name, "dash-org");
        await Admin.CallAsync("package_patch", new { id = name, title = "新しい題名" });
        var stream = (await Anon.CallAsync("package_activity_list", new { id = name }))!.AsArray();
        var changed = stream[0]!["id"]!.GetValue<string>();
        var created = stream[1]!["id"]!.GetValue<string>();

        var shown = await Anon.GetAsync("activity_show", "id=" + changed);
        Assert.That(shown.Ok()!["activity_type"]!.GetValue<string>(), Is.EqualTo("changed package"));
        Assert.That(shown.Result!["data"]!["package"]!["title"]!.GetValue<string>(), Is.EqualTo("新しい題名"));

        var data = await Anon.CallAsync("activity_data_show", new { id = changed, object_type = "package" });
        Assert.That(data!["name"]!.GetValue<string>(), Is.EqualTo(name));
        var whole = await Anon.CallAsync("activity_data_show", new { id = changed });
        Assert.That(whole!["package"]!["name"]!.GetValue<string>(), Is.EqualTo(name));
        var wrongType = await Anon.PostAsync("activity_data_show", new { id = changed, object_type = "group" });
        Assert.That(wrongType.Status, Is.EqualTo(HttpStatusCode.NotFound));

        var diff = await Anon.CallAsync("activity_diff", new { id = changed, object_type = "package" });
        var text = diff!["diff"]!.GetValue<string>();
        Assert.That(text, Does.StartWith("--- \n\n+++ \n\n@@ "));
        Assert.That(text, Does.Contain($"-  \"title\": \"データセット {name}\",").And.Contain("+  \"title\": \"新しい題名\","));
        Assert.That(diff["activities"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()), Is.EqualTo(new[] { created, changed }));
        var context = await Anon.CallAsync("activity_diff", new { id = changed, object_type = "package", diff_type = "context" });
        Assert.That(context!["diff"]!.GetValue<string>(), Does.StartWith("*** \n\n--- \n\n***************").And.Contain("! "));

        var first = await Anon.PostAsync("activity_diff", new { id = created, object_type = "package" });
        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(first.Error["message"]!.GetValue<string>(), Does.Contain("Previous activity for this object not found"));
        var badType = await Anon.PostAsync("activity_diff", new { id = changed, object_type = "package", diff_type = "side-by-side" });
        Assert.That(badType.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(badType.Error["message"]!.GetValue<string>(), Is.EqualTo("diff_type not recognized"));
        var noType = await Anon.PostAsync("activity_diff", new { id = changed });
        Assert.That(noType.Error["object_type"]![0]!.GetValue<string>(), Is.EqualTo("Missing value"));
        Assert.That((await Anon.PostAsync("activity_show", new { id = "no-such-activity" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_private_datasets_activities_are_for_its_readers_only()
    {
        var name = CatalogFixtures.Unique("dash-secret");
        await Fixtures.DatasetAsync(name, "dash-org", isPrivate: true);
        await Admin.CallAsync("package_patch", new { id = name, notes = "秘密" });
        var id = (await Admin.CallAsync("package_activity_list", new { id = name }))![0]!["id"]!.GetValue<string>();
        var outsider = await Fixtures.UserAsync(CatalogFixtures.Unique("dash-outsider"));
        var member = await Fixtures.MemberAsync(CatalogFixtures.Unique("dash-member"), "dash-org", "member");
        foreach (var action in new[] { "activity_show", "activity_data_show", "activity_diff" })
            foreach (var client in new[] { Anon, outsider.Client })
            {
                var r = await client.PostAsync(action, new { id, object_type = "package" });
                Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), action);
                Assert.That(r.Body, Does.Not.Contain("秘密").And.Not.Contain(name));
            }
        Assert.That((await member.Client.CallAsync("activity_show", new { id }))!["data"]!["package"]!["notes"]!.GetValue<string>(), Is.EqualTo("秘密"));
        Assert.That((await member.Client.PostAsync("activity_diff", new { id, object_type = "package" })).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Activity_create_is_for_sysadmins_and_joins_the_stream()
    {
        var name = CatalogFixtures.Unique("dash-made");
        await Fixtures.DatasetAsync(name, "dash-org");
        var made = await Admin.CallAsync("activity_create", new
        {
            user_id = "admin", object_id = name, activity_type = "changed package", data = new { note = "手動の記録" },
        });
        Assert.That(made!["activity_type"]!.GetValue<string>(), Is.EqualTo("changed package"));
        Assert.That(made["data"]!["note"]!.GetValue<string>(), Is.EqualTo("手動の記録"));
        var stream = await Anon.CallAsync("package_activity_list", new { id = name });
        Assert.That(stream![0]!["id"]!.GetValue<string>(), Is.EqualTo(made["id"]!.GetValue<string>()));

        var bad = await Admin.PostAsync("activity_create", new { user_id = "nobody-here", object_id = "no-such", activity_type = "exploded package" });
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(bad.Error["user_id"]![0]!.GetValue<string>(), Is.EqualTo("Not found: User"));
        Assert.That(bad.Error["activity_type"]![0]!.GetValue<string>(), Is.EqualTo("Not found: Activity type"));
        var noObject = await Admin.PostAsync("activity_create", new { user_id = "admin", object_id = "no-such", activity_type = "new group" });
        Assert.That(noObject.Error["object_id"]![0]!.GetValue<string>(), Is.EqualTo("Not found: Group"));

        var user = await Fixtures.UserAsync(CatalogFixtures.Unique("dash-plain"));
        var refused = await user.Client.PostAsync("activity_create", new { user_id = user.Name, object_id = name, activity_type = "changed package" });
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Email_notifications_say_they_are_not_configured()
    {
        var r = await Admin.PostAsync("send_email_notifications");
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Does.StartWith("E-mail notifications are not configured"));
        Assert.That((await Anon.PostAsync("send_email_notifications")).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
