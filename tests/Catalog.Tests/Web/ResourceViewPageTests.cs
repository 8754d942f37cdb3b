using AngleSharp.Html.Parser;

namespace Catalog.Tests.Web;

/// <summary>The citizen pages and views and vocabularies: a resource page lists its views; a dataset page its free tags only.</summary>
public sealed class ResourceViewPageTests
{
    private CitizenSite _site = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _site = await CitizenSite.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_site.Host.BaseUrl) };
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _http.Dispose();
        _site.Dispose();
    }

    [Test]
    public async Task A_loaded_table_with_coordinates_lists_its_table_and_map_views()
    {
        var html = await _http.GetStringAsync($"/dataset/{_site.SurveyName}/resource/{_site.SurveyResourceId}");
        var doc = new HtmlParser().ParseDocument(html);
        var views = doc.QuerySelectorAll("section.views li .view-type").Select(e => e.TextContent).ToList();
        Assert.That(views, Is.EqualTo(new[] { "表", "地図" }));
        Assert.That(doc.QuerySelector("#views-title")!.TextContent, Is.EqualTo("表示方法"));
    }

    [Test]
    public async Task The_dataset_page_links_free_tags_only()
    {
        var vocabulary = (await _site.Admin.CallAsync("vocabulary_create", new { name = "web-topics" }))!["id"]!.GetValue<string>();
        var name = CatalogFixtures.Unique("web-vocab");
        await new CatalogFixtures(_site.Host).DatasetAsync(name, _site.Org, extra: new
        {
            tags = new object[] { new { name = "web-free" }, new { name = "web-vocab-tag", vocabulary_id = vocabulary } },
        });
        var doc = new HtmlParser().ParseDocument(await _http.GetStringAsync($"/dataset/{name}"));
        Assert.That(doc.QuerySelectorAll("ul.tags li").Select(e => e.TextContent), Is.EqualTo(new[] { "web-free" }));
    }
}
