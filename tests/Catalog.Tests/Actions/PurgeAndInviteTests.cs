using System.Net;
using System.Text.Json.Nodes;
using static Catalog.Tests.Infrastructure.CatalogFixtures;

namespace Catalog.Tests.Actions;

/// <summary>
/// group_purge and organization_purge as CKAN: the group goes for ever, the datasets stay (an organization's lose their
/// owner), and search follows; user_invite answers that no invitation can be sent.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class PurgeAndInviteTests(TestStore store) : CatalogApiTests(store)
{
    private static string[] Names(JsonNode? results) =>
        results!["results"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToArray();

    [Test]
    public async Task Purging_an_organization_keeps_its_datasets_in_no_organization()
    {
        var org = Unique("purged-org");
        await Admin.CallAsync("organization_create", new { name = org });
        var member = await Fixtures.MemberAsync(Unique("purged-member"), org, "editor");
        var open = Unique("purged-open");
        await Fixtures.DatasetAsync(open, org);
        Assert.That(Names(await Anon.CallAsync("package_search", new { fq = $"organization:{org}" })), Is.EqualTo(new[] { open }));

        Assert.That(await Admin.CallAsync("organization_purge", new { id = org }), Is.Null);

        Assert.That((await Anon.PostAsync("organization_show", new { id = org })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Admin.PostAsync("organization_show", new { id = org })).Status, Is.EqualTo(HttpStatusCode.NotFound), "gone, not deleted");
        var kept = await Admin.CallAsync("package_show", new { id = open });
        Assert.That(kept!["owner_org"], Is.Null);
        Assert.That(kept["organization"], Is.Null);
        Assert.That(await member.Client.CallAsync("organization_list_for_user", new { }), Is.Empty);
        Assert.That(Names(await Anon.CallAsync("package_search", new { fq = $"organization:{org}" })), Is.Empty);
        Assert.That(Names(await Anon.CallAsync("package_search", new { fq = $"name:{open}" })), Is.EqualTo(new[] { open }));
        // The name is free again.
        Assert.That((await Admin.PostAsync("organization_create", new { name = org })).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Purging_a_group_takes_it_off_its_datasets()
    {
        var org = Unique("grp-owner");
        await Admin.CallAsync("organization_create", new { name = org });
        var group = Unique("purged-grp");
        await Admin.CallAsync("group_create", new { name = group });
        var ds = Unique("grouped");
        await Fixtures.DatasetAsync(ds, org);
        await Admin.CallAsync("member_create", new { id = group, @object = ds, object_type = "package", capacity = "public" });
        Assert.That(Names(await Anon.CallAsync("package_search", new { fq = $"groups:{group}" })), Is.EqualTo(new[] { ds }));

        Assert.That(await Admin.CallAsync("group_purge", new { id = group }), Is.Null);

        Assert.That((await Admin.PostAsync("group_show", new { id = group })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Admin.CallAsync("package_show", new { id = ds }))!["groups"]!.AsArray(), Is.Empty);
        Assert.That(Names(await Anon.CallAsync("package_search", new { fq = $"groups:{group}" })), Is.Empty);
    }

    [Test]
    public async Task Purges_are_for_sysadmins_and_name_what_is_missing()
    {
        var org = Unique("kept-org");
        await Admin.CallAsync("organization_create", new { name = org });
        var admin = await Fixtures.MemberAsync(Unique("kept-admin"), org, "admin");
        var refused = await admin.Client.PostAsync("organization_purge", new { id = org });
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Forbidden), refused.Body);
        Assert.That(refused.ErrorType, Is.EqualTo("Authorization Error"));
        Assert.That((await Anon.PostAsync("group_purge", new { id = org })).Status, Is.EqualTo(HttpStatusCode.Forbidden));

        var missing = await Admin.PostAsync("group_purge", new { id = "no-such-group" });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.NotFound), missing.Body);
        Assert.That(missing.ErrorType, Is.EqualTo("Not Found Error"));
        // An organization is not purged through group_purge.
        Assert.That((await Admin.PostAsync("group_purge", new { id = org })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Anon.PostAsync("organization_show", new { id = org })).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_invitation_says_no_e_mail_is_sent_and_is_refused_to_outsiders()
    {
        var org = Unique("invite-org");
        await Admin.CallAsync("organization_create", new { name = org });
        var admin = await Fixtures.MemberAsync(Unique("invite-admin"), org, "admin");
        var editor = await Fixtures.MemberAsync(Unique("invite-editor"), org, "editor");

        var answer = await admin.Client.PostAsync("user_invite", new { email = "new@example.lg.jp", group_id = org, role = "member" });
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Conflict), answer.Body);
        Assert.That(answer.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(answer.Body, Does.Contain("user_create"));

        Assert.That((await editor.Client.PostAsync("user_invite", new { email = "x@example.lg.jp", group_id = org, role = "member" })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Anon.PostAsync("user_invite", new { email = "x@example.lg.jp", group_id = org, role = "member" })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
