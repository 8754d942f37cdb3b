using System.Net;

namespace Catalog.Tests.Ckan;

/// <summary>config_option_list/show/update: runtime site options, kept in the store, sysadmins only.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class ConfigOptionTests(TestStore store) : CatalogApiTests(store)
{
    private TestUser _user = null!;

    protected override async Task ArrangeAsync() => _user = await Fixtures.UserAsync("config-plain");

    [Test]
    public async Task List_names_the_editable_options()
    {
        var r = await Admin.GetAsync("config_option_list");
        Golden.AssertMatches("config_option_list", r.Envelope, Host.BaseUrl);
    }

    [Test]
    public async Task Update_persists_and_show_and_status_show_answer_the_new_value()
    {
        var before = await Admin.CallAsync("config_option_show", new { key = "ckan.site_title" });
        Assert.That(before!.GetValue<string>(), Is.EqualTo("三重県オープンデータカタログ"), "the configured value until changed");
        Assert.That((await Admin.CallAsync("config_option_show", new { key = "ckan.site_about" })), Is.Null);

        var updated = await Admin.CallAsync("config_option_update", new Dictionary<string, string>
        {
            ["ckan.site_title"] = "みえデータ", ["ckan.site_about"] = "# 三重県について\n県のデータです。", ["ckan.site_custom_css"] = "body { color: #222; }",
        });
        Assert.That(updated!["ckan.site_title"]!.GetValue<string>(), Is.EqualTo("みえデータ"));
        Assert.That((await Admin.GetAsync("config_option_show", "key=ckan.site_about")).Ok()!.GetValue<string>(), Is.EqualTo("# 三重県について\n県のデータです。"));
        Assert.That((await Anon.GetAsync("status_show")).Ok()!["site_title"]!.GetValue<string>(), Is.EqualTo("みえデータ"));

        await Admin.CallAsync("config_option_update", new Dictionary<string, string> { ["ckan.site_title"] = "三重県オープンデータカタログ" });
        Assert.That((await Admin.CallAsync("config_option_show", new { key = "ckan.site_title" }))!.GetValue<string>(), Is.EqualTo("三重県オープンデータカタログ"));
        Assert.That((await Admin.CallAsync("config_option_show", new { key = "ckan.site_custom_css" }))!.GetValue<string>(), Is.EqualTo("body { color: #222; }"));
    }

    [Test]
    public async Task Unknown_options_are_refused_as_CKAN_refuses_them()
    {
        var update = await Admin.PostAsync("config_option_update", new Dictionary<string, string> { ["ckan.site_title"] = "x", ["ckan.plugins"] = "evil" });
        Assert.That(update.Status, Is.EqualTo(HttpStatusCode.Conflict), update.Body);
        Assert.That(update.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(update.Error["message"]!.GetValue<string>(), Is.EqualTo("Configuration option(s) 'ckan.plugins' can not be updated"));
        Assert.That((await Admin.CallAsync("config_option_show", new { key = "ckan.site_title" }))!.GetValue<string>(), Is.Not.EqualTo("x"));

        var show = await Admin.PostAsync("config_option_show", new { key = "sqlalchemy.url" });
        Assert.That(show.Status, Is.EqualTo(HttpStatusCode.Conflict), show.Body);
        Assert.That(show.Error["key"]!.GetValue<string>(), Is.EqualTo("Configuration option 'sqlalchemy.url' can not be shown"));

        var notText = await Admin.PostAsync("config_option_update", new { ckan_site_title = 1 });
        Assert.That(notText.Status, Is.EqualTo(HttpStatusCode.Conflict), notText.Body);
        var wrongType = await Admin.PostAsync("config_option_update", """{"ckan.site_title": {"a": 1}}""");
        Assert.That(wrongType.Status, Is.EqualTo(HttpStatusCode.Conflict), wrongType.Body);
        Assert.That(wrongType.Error["ckan.site_title"]![0]!.GetValue<string>(), Is.EqualTo("Must be a string"));
    }

    [TestCase("config_option_list")]
    [TestCase("config_option_show")]
    [TestCase("config_option_update")]
    public async Task Only_sysadmins_may_call(string action)
    {
        object data = action == "config_option_update" ? new Dictionary<string, string> { ["ckan.site_title"] = "乗っ取り" } : new { key = "ckan.site_title" };
        foreach (var client in new[] { Anon, _user.Client })
        {
            var r = await client.PostAsync(action, data);
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), r.Body);
            Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
        }
        Assert.That((await Anon.GetAsync("status_show")).Ok()!["site_title"]!.GetValue<string>(), Is.Not.EqualTo("乗っ取り"));
    }
}
