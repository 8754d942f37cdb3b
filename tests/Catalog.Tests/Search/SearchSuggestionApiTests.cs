using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;

namespace Catalog.Tests.Search;

/// <summary>
/// "Did you mean" over HTTP on the real host: package_search adds <c>search_suggestions</c> only when it finds
/// nothing, never from words only private datasets hold, and the citizen search page shows the first as a link.
/// </summary>
public sealed class SearchSuggestionApiTests
{
    private CatalogHost _host = null!;
    private CkanClient _admin = null!;
    private CkanClient _anon = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new CatalogHost();
        _admin = _host.Sysadmin();
        _anon = _host.Client();
        await new CatalogFixtures(_host).OrganizationAsync("city-a", "津市");
        await _admin.CallAsync("package_create", new { name = "flood-map", title = "洪水ハザードマップ", owner_org = "city-a" });
        await _admin.CallAsync("package_create", new { name = "secret-plan", title = "シークレットプロジェクト計画", owner_org = "city-a", @private = true });
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _admin.Dispose();
        _anon.Dispose();
        _host.Dispose();
    }

    private async Task<JsonObject> Search(CkanClient client, object data) => (await client.PostAsync("package_search", data)).Ok()!.AsObject();

    [Test]
    public async Task A_search_that_finds_nothing_suggests_the_nearest_indexed_word()
    {
        var result = await Search(_anon, new { q = "ハザドマプ" });
        Assert.That(result["count"]!.GetValue<int>(), Is.Zero);
        Assert.That(result["search_suggestions"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "ハザードマップ" }));
    }

    [Test]
    public async Task A_search_that_finds_something_keeps_ckans_keys_and_a_typo_of_one_letter_finds_the_dataset()
    {
        var result = await Search(_anon, new { q = "ハザードマプ" });
        Assert.That(result.Select(kv => kv.Key), Is.EquivalentTo(new[] { "count", "facets", "results", "sort", "search_facets" }));
        Assert.That(result["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "flood-map" }));
    }

    [Test]
    public async Task Words_that_find_datasets_get_no_suggestion_when_the_filters_leave_none()
    {
        var filtered = await Search(_anon, new { q = "ハザードマップ", fq = "organization:no-such-org" });
        Assert.That(filtered["count"]!.GetValue<int>(), Is.Zero);
        Assert.That(filtered["search_suggestions"]!.AsArray(), Is.Empty);
        var typo = await Search(_anon, new { q = "ハザドマプ", fq = "organization:city-a" });
        Assert.That(typo["search_suggestions"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "ハザードマップ" }));
    }

    [Test]
    public async Task Words_of_private_datasets_are_suggested_only_to_who_may_read_them()
    {
        var anonymous = await Search(_anon, new { q = "シークレトプロジェク", include_private = true });
        Assert.That(anonymous["count"]!.GetValue<int>(), Is.Zero);
        Assert.That(anonymous["search_suggestions"]!.AsArray(), Is.Empty);
        var admin = await Search(_admin, new { q = "シークレトプロジェク", include_private = true });
        Assert.That(admin["search_suggestions"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "シークレットプロジェクト" }));
    }

    [Test]
    public async Task Suggestions_asked_again_follow_the_callers_visibility_and_the_next_write()
    {
        // Kept per index reader (SuggestionCache): asked again, each caller still gets only what they may read ...
        await _admin.CallAsync("package_create", new { name = "night-library", title = "ミッドナイトライブラリ", owner_org = "city-a", @private = true });
        for (var round = 0; round < 2; round++)
        {
            var anonymous = await Search(_anon, new { q = "ミドナイトライブリ" });
            Assert.That(anonymous["search_suggestions"]!.AsArray(), Is.Empty, $"round {round}");
            var admin = await Search(_admin, new { q = "ミドナイトライブリ", include_private = true });
            Assert.That(admin["search_suggestions"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "ミッドナイトライブラリ" }), $"round {round}");
        }
        // ... and a write (a new reader) is answered afresh: the dataset made public is suggested to everyone.
        await _admin.CallAsync("package_patch", new { id = "night-library", @private = false });
        var published = await Search(_anon, new { q = "ミドナイトライブリ" });
        Assert.That(published["count"]!.GetValue<int>(), Is.Zero);
        Assert.That(published["search_suggestions"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "ミッドナイトライブラリ" }));
    }

    [Test]
    public async Task The_search_page_shows_the_suggestion_as_a_link()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        var response = await http.GetAsync("/dataset?q=" + Uri.EscapeDataString("ハザドマプ"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var doc = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var link = doc.QuerySelector(".did-you-mean a");
        Assert.That(link, Is.Not.Null);
        Assert.That(link!.TextContent, Is.EqualTo("ハザードマップ"));
        Assert.That(Uri.UnescapeDataString(link.GetAttribute("href")!), Is.EqualTo("/dataset?q=ハザードマップ"));
    }
}
