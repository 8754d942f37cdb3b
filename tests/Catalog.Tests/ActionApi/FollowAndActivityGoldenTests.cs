namespace Catalog.Tests.ActionApi;

/// <summary>The shapes of follow_dataset, activity_show and datastore_records_delete, pinned by golden files.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class FollowAndActivityGoldenTests(TestStore store) : CatalogApiTests(store)
{
    private TestUser _user = null!;
    private string _resourceId = null!;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("mie-kanko", "三重県 観光局");
        await Fixtures.DatasetAsync("240001_tourism_spots", "mie-kanko", extra: new { title = "観光施設一覧", notes = "三重県内の観光施設の一覧です。" });
        _user = await Fixtures.UserAsync("golden-follower");
        _resourceId = (await Admin.CallAsync("resource_create", new { package_id = "240001_tourism_spots", url = "https://example.lg.jp/spots.csv", name = "観光施設" }))!["id"]!.GetValue<string>();
        await Admin.CallAsync("datastore_create", new
        {
            resource_id = _resourceId,
            fields = new object[] { new { id = "名称", type = "text" } },
            records = new object[] { new Dictionary<string, object> { ["名称"] = "伊勢神宮" } },
        });
    }

    [Test]
    public async Task Follow_dataset() =>
        Golden.AssertMatches("follow_dataset", (await _user.Client.PostAsync("follow_dataset", new { id = "240001_tourism_spots" })).Envelope, Host.BaseUrl);

    [Test]
    public async Task Activity_show()
    {
        var id = (await Anon.CallAsync("package_activity_list", new { id = "240001_tourism_spots", activity_types = new[] { "new package" } }))![0]!["id"]!.GetValue<string>();
        Golden.AssertMatches("activity_show", (await Anon.GetAsync("activity_show", "id=" + id)).Envelope, Host.BaseUrl);
    }

    [Test]
    public async Task Datastore_records_delete() =>
        Golden.AssertMatches("datastore_records_delete",
            (await Admin.PostAsync("datastore_records_delete", new { resource_id = _resourceId, filters = new Dictionary<string, object> { ["名称"] = "存在しない" } })).Envelope, Host.BaseUrl);
}
