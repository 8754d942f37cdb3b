using Catalog.Core.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Search;

/// <summary>
/// tag_list and tag_autocomplete offer the tags of datasets the caller may read, never those only private, draft
/// or deleted datasets carry. Answered from the index by default; the store's answer (without an index) must agree.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.BothWithFlag))]
public sealed class TagNamesTests(TestStore store, bool fromIndex) : CatalogApiTests(store)
{
    private TestUser _member = null!;

    protected override CatalogHost CreateHost() => fromIndex
        ? new CatalogHost(store: Store)
        : new CatalogHost(store: Store, services: s => s.AddSingleton<ITagNames, StoreTagNames>());

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("tagnames-org", "津市");
        _member = await Fixtures.MemberAsync("tagnames-member", "tagnames-org", "member");
        object Tags(params string[] names) => new { tags = names.Select(n => new { name = n }).ToArray() };
        await Fixtures.DatasetAsync("tn-public", "tagnames-org", extra: Tags("防災マップ", "AED"));
        await Fixtures.DatasetAsync("tn-private", "tagnames-org", isPrivate: true, extra: Tags("防災内部資料"));
        var gone = await Fixtures.DatasetAsync("tn-deleted", "tagnames-org", extra: Tags("防災削除済み"));
        await Admin.CallAsync("package_delete", new { id = gone["id"]!.GetValue<string>() });
        await Admin.CallAsync("package_create", new { name = "tn-draft", owner_org = "tagnames-org", state = "draft", tags = new[] { new { name = "防災下書き" } } });
    }

    private static async Task<List<string>> Complete(CkanClient client, string query) =>
        (await client.CallAsync("tag_autocomplete", new { query }))!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    [Test]
    public async Task Each_caller_is_offered_the_tags_of_what_they_may_read()
    {
        Assert.That(await Complete(Anon, "防災"), Is.EqualTo(new[] { "防災マップ" }));
        Assert.That(await Complete(_member.Client, "防災"), Is.EqualTo(new[] { "防災マップ", "防災内部資料" }), "sorted by code point");
        Assert.That(await Complete(Admin, "防災"), Is.EqualTo(new[] { "防災マップ", "防災内部資料" }), "sorted by code point");
        Assert.That(await Complete(Anon, "aed"), Is.EqualTo(new[] { "AED" }), "case is ignored");
        var listed = (await Anon.CallAsync("tag_list", new { query = "マップ" }))!.AsArray().Select(n => n!.GetValue<string>());
        Assert.That(listed, Is.EqualTo(new[] { "防災マップ" }));
    }

    [Test]
    public async Task A_write_changes_the_offer_at_once()
    {
        await Admin.CallAsync("package_patch", new { id = "tn-private", @private = false });
        Assert.That(await Complete(Anon, "内部"), Is.EqualTo(new[] { "防災内部資料" }));
        await Admin.CallAsync("package_patch", new { id = "tn-private", @private = true });
        Assert.That(await Complete(Anon, "内部"), Is.Empty);
    }
}
