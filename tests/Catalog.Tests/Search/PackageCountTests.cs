using Catalog.Core.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Search;

/// <summary>
/// package_count of organizations and groups counts what the caller may see: active datasets, private ones only for
/// members and sysadmins, never drafts or deleted ones. Answered from the index by default; the store's counting
/// (without an index) must agree, so both run the same cases.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.BothWithFlag))]
public sealed class PackageCountTests(TestStore store, bool fromIndex) : CatalogApiTests(store)
{
    private TestUser _alice = null!; // member of count-a
    private TestUser _bob = null!;   // no organization

    protected override CatalogHost CreateHost() => fromIndex
        ? new CatalogHost(store: Store)
        : new CatalogHost(store: Store, services: s => s.AddSingleton<IPackageCounter, StorePackageCounter>());

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("count-a", "津市");
        await Fixtures.OrganizationAsync("count-b", "伊勢市");
        await Fixtures.GroupAsync("count-g", "防災");
        _alice = await Fixtures.MemberAsync("count-alice", "count-a", "editor");
        _bob = await Fixtures.UserAsync("count-bob");
        var inGroup = new { groups = new[] { new { name = "count-g" } } };
        await Fixtures.DatasetAsync("a-public", "count-a", extra: inGroup);
        await Fixtures.DatasetAsync("a-private", "count-a", isPrivate: true, extra: inGroup);
        await Fixtures.DatasetAsync("b-public", "count-b", extra: inGroup);
        await Fixtures.DatasetAsync("b-private", "count-b", isPrivate: true, extra: inGroup);
        var gone = await Fixtures.DatasetAsync("a-deleted", "count-a", extra: inGroup);
        await Admin.CallAsync("package_delete", new { id = gone["id"]!.GetValue<string>() });
        await Admin.CallAsync("package_create", new { name = "a-draft", owner_org = "count-a", state = "draft", groups = new[] { new { name = "count-g" } } });
    }

    private static async Task<Dictionary<string, int>> Counts(CkanClient client)
    {
        var orgs = await client.CallAsync("organization_list", new { all_fields = true });
        var groups = await client.CallAsync("group_list", new { all_fields = true });
        return orgs!.AsArray().Concat(groups!.AsArray())
            .Where(g => g!["name"]!.GetValue<string>().StartsWith("count-", StringComparison.Ordinal))
            .ToDictionary(g => g!["name"]!.GetValue<string>(), g => g!["package_count"]!.GetValue<int>());
    }

    [Test]
    public async Task Each_caller_counts_what_they_may_see()
    {
        Assert.That(await Counts(Anon), Is.EqualTo(new Dictionary<string, int> { ["count-a"] = 1, ["count-b"] = 1, ["count-g"] = 2 }));
        Assert.That(await Counts(_bob.Client), Is.EqualTo(new Dictionary<string, int> { ["count-a"] = 1, ["count-b"] = 1, ["count-g"] = 2 }));
        Assert.That(await Counts(_alice.Client), Is.EqualTo(new Dictionary<string, int> { ["count-a"] = 2, ["count-b"] = 1, ["count-g"] = 3 }));
        Assert.That(await Counts(Admin), Is.EqualTo(new Dictionary<string, int> { ["count-a"] = 2, ["count-b"] = 2, ["count-g"] = 4 }));

        var shown = await Anon.CallAsync("organization_show", new { id = "count-a" });
        Assert.That(shown!["package_count"]!.GetValue<int>(), Is.EqualTo(1));
        var sorted = await Admin.CallAsync("organization_list", new { sort = "package_count desc" });
        Assert.That(sorted!.AsArray().Select(n => n!.GetValue<string>()).Where(n => n.StartsWith("count-")), Is.EqualTo(new[] { "count-a", "count-b" }).Or.EqualTo(new[] { "count-b", "count-a" }));
    }

    [Test]
    public async Task Counts_follow_writes_at_once()
    {
        await Admin.CallAsync("package_patch", new { id = "b-private", @private = false });
        Assert.That((await Counts(Anon))["count-b"], Is.EqualTo(2));
        Assert.That((await Counts(Anon))["count-g"], Is.EqualTo(3));
        await Admin.CallAsync("package_patch", new { id = "b-private", @private = true });
        Assert.That((await Counts(Anon))["count-b"], Is.EqualTo(1));
        Assert.That((await Counts(Anon))["count-g"], Is.EqualTo(2));
    }
}
