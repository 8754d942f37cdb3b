using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Actions;

/// <summary>license_list, status_show, site_read, help_show and format_autocomplete.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class SiteActionsTests(TestStore store) : CatalogApiTests(store)
{
    protected override CatalogHost CreateHost() => new(store: Store, settings: new() { ["Catalog:SiteTitle"] = "テストカタログ", ["Catalog:LocaleDefault"] = "ja" });

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("site-org");
    }

    [Test]
    public async Task License_list_has_the_japanese_and_ckan_default_licences_with_string_values()
    {
        var list = (await Anon.GetAsync("license_list")).Ok()!.AsArray().Select(x => x!.AsObject()).ToList();
        var ids = list.Select(l => l["id"]!.GetValue<string>()).ToList();
        Assert.That(ids, Is.SupersetOf(new[]
        {
            "cc-by-40-intl", "japanese-20", "cc-by-21-jp", "pdl-1.0",
            "notspecified", "odc-pddl", "odc-odbl", "odc-by", "cc-zero", "cc-by", "cc-by-sa", "gfdl",
            "other-open", "other-pd", "other-at", "uk-ogl", "cc-nc", "other-nc", "other-closed",
        }));
        Assert.That(ids, Is.Unique);

        string[] keys = ["id", "title", "url", "status", "maintainer", "family", "od_conformance", "osd_conformance",
            "domain_content", "domain_data", "domain_software", "is_generic"];
        foreach (var l in list)
        {
            Assert.That(l.Select(kv => kv.Key), Is.EquivalentTo(keys), l.ToJsonString());
            Assert.That(l.Select(kv => kv.Value!.GetValueKind()), Has.All.EqualTo(JsonValueKind.String), l.ToJsonString());
            Assert.That(l["status"]!.GetValue<string>(), Is.EqualTo("active"));
        }

        var ccBy = list.Single(l => l["id"]!.GetValue<string>() == "cc-by-40-intl");
        Assert.That(ccBy["od_conformance"]!.GetValue<string>(), Is.EqualTo("approved"));
        Assert.That(ccBy["domain_data"]!.GetValue<string>(), Is.EqualTo("True"));
        Assert.That(ccBy["domain_software"]!.GetValue<string>(), Is.EqualTo("False"));
        Assert.That(ccBy["url"]!.GetValue<string>(), Does.StartWith("https://creativecommons.org/licenses/by/4.0/"));
    }

    [Test]
    public async Task Status_show_describes_the_site()
    {
        var s = (await Anon.GetAsync("status_show")).Ok()!.AsObject();
        Assert.That(s["site_title"]!.GetValue<string>(), Is.EqualTo("テストカタログ"));
        Assert.That(s["site_description"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(s["site_url"]!.GetValue<string>(), Is.EqualTo(Host.BaseUrl));
        Assert.That(s.ContainsKey("error_emails_to"), Is.True);
        Assert.That(s["error_emails_to"], Is.Null);
        Assert.That(s["locale_default"]!.GetValue<string>(), Is.EqualTo("ja"));
        Assert.That(s["extensions"]!.AsArray().Select(e => e!.GetValue<string>()), Is.EqualTo(new[] { "activity" }));
        Assert.That(s["ckan_version"]!.GetValue<string>(), Is.EqualTo("2.11.0"));
    }

    [Test]
    public async Task Site_read_is_true()
    {
        var r = await Anon.GetAsync("site_read");
        Assert.That(r.Ok()!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Help_show_returns_the_help_text_of_a_registered_action()
    {
        var r = await Anon.GetAsync("help_show", "name=package_show");
        var text = r.Ok()!.GetValue<string>();
        Assert.That(text, Does.Contain(":param id:"));
        Assert.That(text, Does.Contain("dataset"));

        var own = (await Anon.CallAsync("help_show", new { name = "help_show" }))!.GetValue<string>();
        Assert.That(own, Does.Contain(":param name:"));
    }

    [Test]
    public async Task Help_show_of_an_unknown_action_is_404()
    {
        var r = await Anon.GetAsync("help_show", "name=no_such_action");
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(r.ErrorType, Is.EqualTo("Not Found Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Is.EqualTo("Not found: Action function not found"));

        var missing = await Anon.PostAsync("help_show", new { });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(missing.Error["name"]![0]!.GetValue<string>(), Is.EqualTo("Missing value"));
    }

    [Test]
    public async Task Format_autocomplete_orders_by_use_and_ignores_private_and_deleted_datasets()
    {
        static object Resources(params string[] formats) =>
            new { resources = formats.Select((f, i) => new { url = $"http://example.jp/{i}.dat", format = f }).ToArray() };

        await Fixtures.DatasetAsync("fa-one", "site-org", extra: Resources("CSV", "CSV", "GeoJSON", "Open-Data-Set"));
        await Fixtures.DatasetAsync("fa-two", "site-org", extra: Resources("csv", "XLSX", "GeoJSON", "open-data-set", "open-data-set"));
        await Fixtures.DatasetAsync("fa-private", "site-org", isPrivate: true, extra: Resources("JSONL", "JSONL", "JSONL", "JSONL", "JSONL"));
        await Fixtures.DatasetAsync("fa-deleted", "site-org", extra: Resources("SHP", "SHP", "SHP", "SHP"));
        using var admin = Host.Sysadmin();
        await admin.CallAsync("package_delete", new { id = "fa-deleted" });

        // CSV 3 and open-data-set 3 (spellings differing by case are one, shown as most often written; ties by name),
        // then GEOJSON 2 and XLSX 1. Short formats are upper-cased when saved.
        var s = await Anon.GetAsync("format_autocomplete", "q=s");
        Assert.That(s.Ok()!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "CSV", "open-data-set", "GEOJSON", "XLSX" }));

        var json = await Anon.CallAsync("format_autocomplete", new { q = "json" });
        Assert.That(json!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "GEOJSON" }));

        var limited = await Anon.CallAsync("format_autocomplete", new { q = "s", limit = 1 });
        Assert.That(limited!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "CSV" }));

        var shp = await Anon.CallAsync("format_autocomplete", new { q = "shp" });
        Assert.That(shp!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Format_autocomplete_needs_q()
    {
        var r = await Anon.PostAsync("format_autocomplete", new { });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.Error["q"]![0]!.GetValue<string>(), Is.EqualTo("Missing value"));
    }
}
