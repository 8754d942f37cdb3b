using System.Net;
using System.Xml.Linq;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Catalog.Tests.Web;

/// <summary>The citizen pages over plain HTTP on the real host with the seeded Mie catalog: content, languages, visibility, headers.</summary>
public sealed class CitizenPageTests
{
    private CitizenSite _site = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _site = await CitizenSite.StartAsync();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(_site.Host.BaseUrl) };
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _http.Dispose();
        _site.Dispose();
    }

    private async Task<(HttpResponseMessage Response, IDocument Doc, string Html)> GetAsync(string path, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        var response = await _http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        return (response, new HtmlParser().ParseDocument(html), html);
    }

    [Test]
    public async Task Home_shows_the_search_box_the_13_categories_with_counts_and_the_newest_datasets()
    {
        var (response, doc, _) = await GetAsync("/");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(doc.DocumentElement.GetAttribute("lang"), Is.EqualTo("ja"));
        Assert.That(doc.QuerySelector("form[role=search] input[name=q]"), Is.Not.Null);
        var categories = doc.QuerySelectorAll(".categories li a").ToList();
        Assert.That(categories, Has.Count.EqualTo(13));
        var bousai = categories.Single(a => a.GetAttribute("href") == "/group/disaster-prevention");
        Assert.That(bousai.TextContent, Does.Contain("防災・災害").And.Match(@"\d+ 件"));
        Assert.That(bousai.QuerySelector("svg"), Is.Not.Null);
        Assert.That(doc.QuerySelectorAll("#new-title + ul li"), Has.Length.EqualTo(5));
        Assert.That(doc.QuerySelectorAll("#upd-title + ul li"), Has.Length.EqualTo(5));
        Assert.That(doc.QuerySelector("main#main"), Is.Not.Null);
        Assert.That(doc.QuerySelector("header nav[aria-label]"), Is.Not.Null);
    }

    [Test]
    public async Task Pages_carry_a_strict_content_security_policy()
    {
        var (response, _, _) = await GetAsync("/dataset");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.That(csp, Does.Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'"));
        Assert.That(csp, Does.Not.Contain("unsafe-inline").And.Not.Contain("cyberjapandata"), "tiles are off in these tests");
    }

    [Test]
    public async Task Searching_shelters_lists_them_highlighted_with_facets_total_and_no_private_dataset()
    {
        var (response, doc, html) = await GetAsync("/dataset?q=" + Uri.EscapeDataString("避難所"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var titles = doc.QuerySelectorAll(".dataset-item h3 a").Select(a => a.TextContent).ToList();
        Assert.That(titles, Does.Contain("指定避難所一覧"));
        Assert.That(doc.QuerySelectorAll(".dataset-item h3 mark").Select(m => m.TextContent), Does.Contain("避難所"));
        Assert.That(doc.QuerySelector("#result-count")!.TextContent, Does.Match(@"^\d+ 件のデータセット$"));
        foreach (var facet in new[] { "organization", "groups", "tags", "res_format", "license_id" })
            Assert.That(doc.QuerySelector($"#facet-{facet}"), Is.Not.Null, facet);
        Assert.That(html, Does.Not.Contain(CitizenSite.PrivateMarker));
    }

    [Test]
    public async Task A_facet_narrows_the_results_and_is_shown_as_removable()
    {
        var (_, all, _) = await GetAsync("/dataset?q=" + Uri.EscapeDataString("避難所"));
        var link = all.QuerySelectorAll("#facet-organization ~ ul a").First();
        var (_, narrowed, _) = await GetAsync(link.GetAttribute("href")!);
        var before = long.Parse(all.QuerySelector("#result-count")!.TextContent.Split(' ')[0]);
        var after = long.Parse(narrowed.QuerySelector("#result-count")!.TextContent.Split(' ')[0]);
        Assert.That(after, Is.LessThanOrEqualTo(before).And.GreaterThan(0));
        Assert.That(narrowed.QuerySelector(".filters .chip"), Is.Not.Null);
        Assert.That(narrowed.QuerySelector("#facet-organization ~ ul a[aria-current=true]"), Is.Not.Null);
    }

    [Test]
    public async Task Sorting_and_paging_keep_the_query()
    {
        var (_, doc, _) = await GetAsync("/dataset?sort=" + Uri.EscapeDataString("title_string asc"));
        var next = doc.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        Assert.That(next, Does.Contain("page=2").And.Contain("sort=title_string"));
        var (_, second, _) = await GetAsync(next);
        Assert.That(second.QuerySelector(".pager span[aria-current=page]")!.TextContent, Is.EqualTo("2"));
        Assert.That(second.QuerySelector("#sort option[selected]")!.GetAttribute("value"), Is.EqualTo("title_string asc"));
    }

    [Test]
    public async Task A_search_without_results_offers_help_and_never_a_server_error()
    {
        var (response, doc, _) = await GetAsync("/dataset?q=" + Uri.EscapeDataString("存在しないZZQQ語"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(doc.QuerySelector(".no-results"), Is.Not.Null);
        var (bad, badDoc, _) = await GetAsync("/dataset?q=" + Uri.EscapeDataString("title:((((((((((((x"));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(badDoc.QuerySelector("[role=alert]"), Is.Not.Null);
    }

    [Test]
    public async Task The_dataset_page_shows_metadata_labels_licence_credit_resources_and_machine_readable_links()
    {
        var (response, doc, _) = await GetAsync("/dataset/240001_evacuation_shelter");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(doc.QuerySelector("h1")!.TextContent, Is.EqualTo("指定避難所一覧"));
        var labels = doc.QuerySelectorAll(".metadata th").Select(th => th.TextContent).ToList();
        Assert.That(labels, Does.Contain("組織").And.Contain("公開日"));
        Assert.That(doc.QuerySelector(".attribution")!.TextContent, Does.StartWith("出典：").And.Contain("CC BY 4.0"));
        Assert.That(doc.QuerySelector(".resource .download")!.GetAttribute("href"), Does.Contain("/download/"));
        var alternates = doc.QuerySelectorAll("link[rel=alternate]").Select(l => l.GetAttribute("href")).ToList();
        Assert.That(alternates, Does.Contain("/dataset/240001_evacuation_shelter.ttl")
            .And.Contain("/dataset/240001_evacuation_shelter.rdf").And.Contain("/dataset/240001_evacuation_shelter.jsonld")
            .And.Contain("/api/3/action/package_show?id=240001_evacuation_shelter"));
    }

    [Test]
    public async Task A_dataset_title_with_markup_is_shown_as_text()
    {
        var (_, doc, html) = await GetAsync($"/dataset/{_site.SurveyName}");
        Assert.That(doc.QuerySelector("h1")!.TextContent, Is.EqualTo(CitizenSite.ScriptTitle));
        Assert.That(html, Does.Not.Contain("<script>alert"));
        Assert.That(doc.QuerySelectorAll("script").Where(s => s.GetAttribute("src") is null), Is.Empty, "no inline script at all");
        var (_, search, searchHtml) = await GetAsync("/dataset?q=" + Uri.EscapeDataString("猪豚熱"));
        Assert.That(search.QuerySelectorAll(".dataset-item h3 a").Select(a => a.TextContent), Does.Contain(CitizenSite.ScriptTitle));
        Assert.That(searchHtml, Does.Not.Contain("<script>alert"));
    }

    [Test]
    public async Task Rows_are_previewed_charted_and_every_point_plotted_when_tiles_are_off()
    {
        var (_, doc, _) = await GetAsync($"/dataset/{_site.SurveyName}/resource/{_site.SurveyResourceId}");
        Assert.That(doc.QuerySelectorAll("table.rows tbody tr"), Has.Length.EqualTo(CitizenSite.SurveyPoints));
        Assert.That(doc.QuerySelectorAll("table.rows thead th").Select(t => t.TextContent), Is.EqualTo(new[] { "地点名", "緯度", "経度", "頭数" }));
        Assert.That(doc.QuerySelectorAll("svg.chart rect"), Has.Length.EqualTo(CitizenSite.SurveyPoints));
        Assert.That(doc.QuerySelectorAll("svg.point-plot circle.point"), Has.Length.EqualTo(CitizenSite.SurveyPoints));
        Assert.That(doc.QuerySelector(".map"), Is.Null, "no tile map when tiles are off");
        Assert.That(doc.QuerySelector(".feed-url")!.TextContent, Is.EqualTo($"/odata/resources/{_site.SurveyResourceId}/Rows"));
        var (_, dataset, _) = await GetAsync($"/dataset/{_site.SurveyName}");
        Assert.That(dataset.QuerySelectorAll("svg.point-plot circle.point"), Has.Length.EqualTo(CitizenSite.SurveyPoints));
    }

    [Test]
    public async Task Tiles_on_give_a_map_element_and_the_tile_origin_in_the_policy()
    {
        using var site = await CitizenSite.StartAsync(new() { ["Catalog:Ui:MapTiles"] = "https://tiles.example.jp/{z}/{x}/{y}.png" });
        using var http = new HttpClient { BaseAddress = new Uri(site.Host.BaseUrl) };
        var response = await http.GetAsync($"/dataset/{site.SurveyName}/resource/{site.SurveyResourceId}");
        var doc = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.That(doc.QuerySelector(".map")!.GetAttribute("data-tiles"), Is.EqualTo("https://tiles.example.jp/{z}/{x}/{y}.png"));
        Assert.That(doc.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")), Has.Some.StartWith("/assets/leaflet/leaflet.js"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("img-src 'self' data: https://tiles.example.jp;"));
    }

    [Test]
    public async Task Private_datasets_are_absent_from_every_page_and_feed_for_outsiders()
    {
        foreach (var path in new[]
        {
            "/", "/dataset", "/dataset?q=" + Uri.EscapeDataString("避難所"), $"/organization/{_site.Org}", "/organization",
            "/feeds/dataset.atom", $"/feeds/organization/{_site.Org}.atom",
        })
        {
            var (response, _, html) = await GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(html, Does.Not.Contain(CitizenSite.PrivateMarker).And.Not.Contain(_site.PrivateName), path);
        }
        foreach (var path in new[] { $"/dataset/{_site.PrivateName}", $"/dataset/{_site.PrivateName}/resource/{_site.PrivateResourceId}",
                     $"/dataset/{_site.SurveyName}/resource/{_site.PrivateResourceId}" })
        {
            var (response, doc, html) = await GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
            Assert.That(doc.QuerySelector("h1")!.TextContent, Is.EqualTo("ページが見つかりません"), path);
            Assert.That(html, Does.Not.Contain(CitizenSite.PrivateMarker), path);
        }
    }

    [Test]
    public async Task English_is_chosen_by_lang_and_remembered_in_a_cookie()
    {
        var (response, doc, _) = await GetAsync("/dataset?lang=en");
        Assert.That(doc.DocumentElement.GetAttribute("lang"), Is.EqualTo("en"));
        Assert.That(doc.QuerySelector("h1")!.TextContent, Is.EqualTo("Search datasets"));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("catalog_lang=en", StringComparison.Ordinal));
        var (_, again, _) = await GetAsync("/group", cookie.Split(';')[0]);
        Assert.That(again.DocumentElement.GetAttribute("lang"), Is.EqualTo("en"));
        Assert.That(again.QuerySelectorAll(".categories a").Select(a => a.TextContent), Has.Some.Contain("Disaster"));
        Assert.That(again.QuerySelector("a.lang-switch")!.GetAttribute("href"), Does.EndWith("lang=ja"));
        var (_, bad, _) = await GetAsync("/?lang=xx");
        Assert.That(bad.DocumentElement.GetAttribute("lang"), Is.EqualTo("ja"));
    }

    [Test]
    public async Task Organization_and_category_pages_list_their_datasets()
    {
        var (response, doc, _) = await GetAsync("/group/disaster-prevention");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(doc.QuerySelector("h1")!.TextContent, Is.EqualTo("防災・災害"));
        Assert.That(doc.QuerySelectorAll(".dataset-item a").Select(a => a.TextContent), Does.Contain("指定避難所一覧"));
        Assert.That(doc.QuerySelectorAll("link[rel=alternate]").Select(l => l.GetAttribute("href")), Does.Contain("/feeds/group/disaster-prevention.atom"));
        var (_, org, _) = await GetAsync($"/organization/{_site.Org}");
        Assert.That(org.QuerySelectorAll(".dataset-item a").Select(a => a.TextContent), Is.EqualTo(new[] { CitizenSite.ScriptTitle }));
        var (missing, _, _) = await GetAsync("/group/no-such-group");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Atom_feeds_list_recent_public_datasets()
    {
        foreach (var path in new[] { "/feeds/dataset.atom", "/feeds/group/disaster-prevention.atom", $"/feeds/organization/{_site.Org}.atom" })
        {
            var response = await _http.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/atom+xml"));
            var feed = XDocument.Parse(await response.Content.ReadAsStringAsync());
            XNamespace atom = "http://www.w3.org/2005/Atom";
            Assert.That(feed.Root!.Elements(atom + "entry").Count(), Is.GreaterThan(0), path);
        }
        Assert.That((await _http.GetAsync("/feeds/group/none-such.atom")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _http.GetAsync("/feeds/group/..%2Fx.atom")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Unknown_addresses_get_the_friendly_404_and_the_api_keeps_its_own_errors()
    {
        var (response, doc, _) = await GetAsync("/no/such/page");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(doc.QuerySelector("form[role=search]"), Is.Not.Null);
        var api = await _http.GetAsync("/api/3/action/no_such_action");
        Assert.That(api.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        // Names with a dot are left to the machine-readable endpoints (DCAT), never taken by the dataset page.
        var (dotted, dottedDoc, _) = await GetAsync("/dataset/240001_evacuation_shelter.unknownext");
        Assert.That(dotted.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(dottedDoc.QuerySelector(".metadata"), Is.Null);
    }

    [Test]
    public async Task Assets_are_served_from_the_build_with_cache_headers()
    {
        var css = await _http.GetAsync("/assets/site.css");
        Assert.That(css.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(css.Headers.CacheControl!.MaxAge, Is.GreaterThan(TimeSpan.FromHours(1)));
        var etag = css.Headers.ETag!.Tag;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/site.css");
        again.Headers.TryAddWithoutValidation("If-None-Match", etag);
        Assert.That((await _http.SendAsync(again)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That((await _http.GetAsync("/assets/leaflet/leaflet.js")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _http.GetAsync("/assets/leaflet/LICENSE.txt")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _http.GetAsync("/assets/..%2F..%2Fappsettings.json")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
