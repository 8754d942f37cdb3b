using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Actions;

/// <summary>package_activity_list and recently_changed_packages_activity_list, and who may read which stream.</summary>
public sealed class ActivityActionsTests : CatalogApiTests
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
}
