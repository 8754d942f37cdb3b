using Catalog.Tests.Web;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Catalog.Tests.Browser;

/// <summary>
/// A citizen's visit in headless Chromium on the real host with the seeded Mie catalog: search, a facet, a dataset,
/// its preview and download, the map of a dataset with coordinates, English and back; markup in a title stays text;
/// private data never shows; axe finds no serious or critical accessibility violation. UPDATE_SCREENSHOTS=1 writes
/// docs/screenshots/.
/// </summary>
[NonParallelizable]
public sealed class CitizenBrowserTests
{
    private CitizenSite _site = null!;
    private BrowserSession _browser = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _browser = await BrowserSession.StartAsync();
        _site = await CitizenSite.StartAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _site?.Dispose();
        if (_browser is not null) await _browser.DisposeAsync();
    }

    private async Task<IPage> PageAsync()
    {
        var page = await _browser.NewPageAsync(_site.Host.BaseUrl);
        // No script of the page may open a dialog: a title with <script> must stay text.
        page.Dialog += (_, d) => Assert.Fail($"A dialog opened: {d.Message}");
        return page;
    }

    [Test]
    public async Task A_citizen_searches_shelters_narrows_opens_previews_downloads_and_switches_language()
    {
        var page = await PageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("キーワード").FillAsync("避難所");
        await page.GetByRole(AriaRole.Button, new() { Name = "検索" }).ClickAsync();
        await PageArrival.ArrivedAsync(page, "**/dataset?q=*");
        var total = await page.Locator("#result-count").TextContentAsync();
        Assert.That(total, Does.Match(@"^\d+ 件のデータセット$"));
        await Assertions.Expect(page.Locator(".dataset-item h3 mark").First).ToHaveTextAsync("避難所");

        await page.Locator("#facet-organization ~ ul a").First.ClickAsync();
        await Assertions.Expect(page.Locator(".filters .chip")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = "指定避難所一覧", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("指定避難所一覧");
        await Assertions.Expect(page.Locator("table.rows tbody tr")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("svg.chart")).ToBeVisibleAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".resource .download").First.ClickAsync());
        Assert.That(download.SuggestedFilename, Is.EqualTo("240001_evacuation_shelter.csv"));
        var saved = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".csv");
        await download.SaveAsAsync(saved);
        Assert.That(new FileInfo(saved).Length, Is.GreaterThan(100));
        File.Delete(saved);

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Data and resources" })).ToBeVisibleAsync();
        await page.GotoAsync("/dataset");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Search datasets");
        await page.GetByRole(AriaRole.Link, new() { Name = "日本語" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("データセットの検索");
    }

    [Test]
    public async Task The_map_of_a_dataset_with_coordinates_plots_every_point_when_tiles_are_off()
    {
        var page = await PageAsync();
        await page.GotoAsync($"/dataset/{_site.SurveyName}/resource/{_site.SurveyResourceId}");
        var points = page.Locator("svg.point-plot circle.point");
        await Assertions.Expect(points).ToHaveCountAsync(CitizenSite.SurveyPoints);
        for (var i = 0; i < CitizenSite.SurveyPoints; i++) await Assertions.Expect(points.Nth(i)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".map")).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(page, "map-plot-ja");
    }

    [Test]
    public async Task A_title_with_a_script_tag_is_shown_as_text()
    {
        var page = await PageAsync();
        await page.GotoAsync($"/dataset/{_site.SurveyName}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(CitizenSite.ScriptTitle);
        await page.GotoAsync("/dataset?q=" + Uri.EscapeDataString("猪豚熱"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = CitizenSite.ScriptTitle })).ToBeVisibleAsync();
    }

    [Test]
    public async Task Private_datasets_are_absent_for_outsiders()
    {
        var page = await PageAsync();
        foreach (var path in new[] { "/", "/dataset?q=" + Uri.EscapeDataString("避難所"), $"/organization/{_site.Org}" })
        {
            await page.GotoAsync(path);
            Assert.That(await page.ContentAsync(), Does.Not.Contain(CitizenSite.PrivateMarker).And.Not.Contain(_site.PrivateName), path);
        }
        // Searched for by its own words, it is not found (the words are only echoed in the search box).
        await page.GotoAsync("/dataset?q=" + CitizenSite.PrivateMarker);
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("0 件のデータセット");
        Assert.That(await page.Locator(".results").InnerHTMLAsync(), Does.Not.Contain(_site.PrivateName));
        var response = await page.GotoAsync($"/dataset/{_site.PrivateName}");
        Assert.That(response!.Status, Is.EqualTo(404));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("ページが見つかりません");
    }

    private static readonly (string Name, Func<CitizenSite, string> Path)[] Pages =
    [
        ("home", _ => "/"),
        ("search", _ => "/dataset?q=" + Uri.EscapeDataString("避難所")),
        ("dataset", _ => "/dataset/240001_evacuation_shelter"),
        ("resource", s => $"/dataset/{s.SurveyName}/resource/{s.SurveyResourceId}"),
        ("organization", _ => "/organization/mie-bousai"),
        ("organizations", _ => "/organization"),
        ("category", _ => "/group/disaster-prevention"),
        ("not-found", _ => "/no/such/page"),
    ];

    [TestCase("ja")]
    [TestCase("en")]
    public async Task Axe_finds_no_serious_or_critical_violation_and_screenshots_are_taken(string lang)
    {
        var page = await PageAsync();
        var failures = new List<string>();
        foreach (var (name, path) in Pages)
        {
            var url = path(_site);
            await page.GotoAsync(url + (url.Contains('?') ? "&" : "?") + "lang=" + lang);
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
            var result = await page.RunAxe();
            failures.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}"));
            await BrowserSession.ScreenshotAsync(page, $"{name}-{lang}");
        }
        Assert.That(failures, Is.Empty);
    }
}
