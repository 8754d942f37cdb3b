using System.Text;

namespace Catalog.Tests.ActionApi;

/// <summary>The exact shapes of the main results and error envelopes, pinned by golden files.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class GoldenResponseTests(TestStore store) : CatalogApiTests(store)
{
    private string _packageId = null!;
    private string _resourceId = null!;

    protected override async Task ArrangeAsync()
    {
        await Admin.CallAsync("group_create", new { name = "disaster-prevention", title = "防災・災害", description = "防災に関するデータ" });
        await Admin.CallAsync("organization_create", new
        {
            name = "mie-bousai", title = "三重県 防災対策部", description = "防災対策部のデータ",
            extras = new[] { new { key = "lg_code", value = "240001" } },
        });
        var p = (await Admin.CallAsync("package_create", new
        {
            name = "240001_evacuation_space", title = "指定緊急避難場所一覧", owner_org = "mie-bousai",
            notes = "三重県内の指定緊急避難場所の一覧です。", license_id = "cc-by-40-intl",
            author = "防災対策部 防災企画・地域支援課", maintainer = "総務部 情報政策課", maintainer_email = "opendata@example.lg.jp",
            tags = new[] { new { name = "避難場所" }, new { name = "自治体標準ODS" } },
            groups = new[] { new { name = "disaster-prevention" } },
            extras = new[] { new { key = "frequency", value = "年1回" }, new { key = "spatial", value = "三重県" } },
        }))!;
        _packageId = p["id"]!.GetValue<string>();
        var r = await Admin.MultipartAsync("resource_create",
            new Dictionary<string, string> { ["package_id"] = _packageId, ["name"] = "指定緊急避難場所一覧", ["encoding"] = "utf-8" },
            "240001_evacuation_space.csv", Encoding.UTF8.GetBytes("名称,所在地\n津市体育館,津市\n"));
        _resourceId = r.Ok()!["id"]!.GetValue<string>();
        // The uploaded CSV is loaded into the DataStore in the background; the shapes are pinned once it is.
        for (var i = 0; i < 300 && !(await Admin.CallAsync("resource_show", new { id = _resourceId }))!["datastore_active"]!.GetValue<bool>(); i++)
            await Task.Delay(100);
    }

    [Test]
    public async Task Package_show() =>
        Golden.AssertMatches("package_show", (await Anon.GetAsync("package_show", "id=240001_evacuation_space")).Envelope, Host.BaseUrl);

    [Test]
    public async Task Resource_show() =>
        Golden.AssertMatches("resource_show", (await Anon.GetAsync("resource_show", "id=" + _resourceId)).Envelope, Host.BaseUrl);

    [Test]
    public async Task Organization_show() =>
        Golden.AssertMatches("organization_show", (await Anon.GetAsync("organization_show", "id=mie-bousai&include_users=false")).Envelope, Host.BaseUrl);

    [Test]
    public async Task Not_found_envelope() =>
        Golden.AssertMatches("error_not_found", (await Anon.GetAsync("package_show", "id=nope")).Envelope, Host.BaseUrl);

    [Test]
    public async Task Authorization_envelope() =>
        Golden.AssertMatches("error_authorization", (await Anon.PostAsync("package_delete", new { id = "240001_evacuation_space" })).Envelope, Host.BaseUrl);

    [Test]
    public async Task Validation_envelope() =>
        Golden.AssertMatches("error_validation", (await Admin.PostAsync("package_create", new
        {
            name = "Bad Name", owner_org = "no-such-org", tags = new[] { new { name = "x" } },
            resources = new object[] { new { url = "https://e.lg.jp/a.csv" }, new { size = "big" } },
        })).Envelope, Host.BaseUrl);
}
