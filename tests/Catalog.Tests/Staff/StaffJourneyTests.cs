using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.TableValidation;
using Catalog.Tests.Browser;
using Catalog.Tests.TableValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Catalog.Tests.Staff;

/// <summary>
/// The whole staff journey in a real browser against the real host: sign in, create a dataset with the form, upload
/// a Shift_JIS CSV with the usual mistakes, read the report, apply the fixes, publish; then the dataset is in
/// package_search and package_show for anyone.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class StaffJourneyTests
{
    private CatalogHost _host = null!;
    private StaffBrowser _browser = null!;
    private TestUser _editor = null!;
    private string _org = null!;

    /// <summary>
    /// 指定緊急避難場所一覧 as departments write it, in Shift_JIS: a title row above the header, a 全国地方公共団体コード
    /// without its check digit, full-width digits and a footnote row under the data.
    /// </summary>
    public static byte[] BrokenCsv()
    {
        var table = new StandardTable(StandardSchemas.Find("evacuation-space")!);
        table.Above.Add("指定緊急避難場所一覧（令和6年4月1日現在）");
        table.Set(0, "全国地方公共団体コード", "24000");
        table.Set(1, "想定収容人数", "５００");
        table.Below.Add("※ 本表は防災対策部が作成");
        return table.ShiftJis();
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // Several engineers' builds share two cores: give slow moments room before calling a page wrong.
        Assertions.SetDefaultExpectTimeout(20_000);
        _browser = await StaffBrowser.LaunchAsync();
        _host = new CatalogHost();
        var fixtures = new CatalogFixtures(_host);
        _editor = await fixtures.UserAsync(CatalogFixtures.Unique("bosai-staff"));
        _org = CatalogFixtures.Unique("bosai");
        await fixtures.OrganizationAsync(_org, "防災対策部", (_editor.Name, "editor"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _host?.Dispose();
        if (_browser is not null) await _browser.DisposeAsync();
    }

    [Test]
    public async Task A_member_signs_in_creates_uploads_fixes_and_publishes()
    {
        var page = await _browser.NewPageAsync(_host.BaseUrl);

        await page.GotoAsync("/staff");
        Assert.That(page.Url, Does.Contain("/staff/login"));
        await page.GetByLabel("ユーザー名").FillAsync(_editor.Name);
        await page.GetByLabel("パスワード").FillAsync(CatalogFixtures.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン / Sign in" }).ClickAsync();
        await PageArrival.ArrivedAsync(page, "**/staff");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ダッシュボード / Dashboard" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "データセットを作成 / New dataset" }).ClickAsync();
        await page.Locator("#f-title").FillAsync("Evacuation spaces");
        // The URL name follows the title, with the prefecture's prefix.
        await Assertions.Expect(page.Locator("#f-name")).ToHaveValueAsync("240001_evacuation_spaces");
        await page.Locator("#f-title").FillAsync("指定緊急避難場所一覧");
        await page.Locator("#f-name").FillAsync("240001_evacuation_space_tsu");
        await page.Locator("#f-notes").FillAsync("津市の指定緊急避難場所の一覧です。");
        await page.Locator("#f-tags").FillAsync("防災、避難場所");
        await StaffBrowser.ScreenshotAsync(page, "staff-dataset-form.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存してファイルの登録へ / Save and add files" }).ClickAsync();
        await PageArrival.ArrivedAsync(page, "**/staff/dataset/240001_evacuation_space_tsu/files?created=1");

        var folder = Directory.CreateTempSubdirectory("staff-upload-").FullName;
        var csv = Path.Combine(folder, "hinanbasho.csv");
        await File.WriteAllBytesAsync(csv, BrokenCsv());
        try
        {
            await page.Locator("#files").SetInputFilesAsync(csv);
            await page.Locator("#schema").SelectOptionAsync("evacuation-space");
            await page.GetByRole(AriaRole.Button, new() { Name = "アップロード / Upload" }).ClickAsync();
            await PageArrival.ArrivedAsync(page, "**/files?uploaded=1");
        }
        finally { Directory.Delete(folder, recursive: true); }
        await Assertions.Expect(page.GetByText("1 件のファイルを登録しました")).ToBeVisibleAsync();

        var pkg = (await _editor.Client.CallAsync("package_show", new { id = "240001_evacuation_space_tsu" }))!.AsObject();
        var resource = pkg["resources"]!.AsArray().Single()!.AsObject();
        Assert.That(resource["schema"]!.GetValue<string>(), Is.EqualTo("evacuation-space"));
        Assert.That(pkg["state"]!.GetValue<string>(), Is.EqualTo("draft"));

        if (ValidationAvailable) await ReadTheReportAndFixAsync(page);

        await page.GotoAsync("/staff/dataset/240001_evacuation_space_tsu/edit");
        await page.Locator("#f-visibility").SelectOptionAsync("public");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存 / Save" }).ClickAsync();
        await Assertions.Expect(page.GetByText("保存しました")).ToBeVisibleAsync();

        await page.GotoAsync("/staff");
        await Assertions.Expect(page.Locator("#datasets")).ToContainTextAsync("指定緊急避難場所一覧");
        await StaffBrowser.ScreenshotAsync(page, "staff-dashboard.png");

        var anonymous = _host.Client();
        var shown = (await anonymous.CallAsync("package_show", new { id = "240001_evacuation_space_tsu" }))!.AsObject();
        Assert.That(shown["private"]!.GetValue<bool>(), Is.False);
        var search = (await anonymous.CallAsync("package_search", new { q = "避難場所" }))!.AsObject();
        Assert.That(search["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()), Does.Contain("240001_evacuation_space_tsu"));
    }

    private bool ValidationAvailable =>
        _host.Services.GetRequiredService<ActionDispatcher>().Registry.Find("resource_validation_show") is not null;

    private static async Task ReadTheReportAndFixAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "検証結果 / Report" }).ClickAsync();
        await PageArrival.ArrivedAsync(page, "**/report");
        if (await page.GetByText("このファイルはまだ検証されていません").CountAsync() > 0)
            await page.GetByRole(AriaRole.Button, new() { Name = "もう一度検証する / Validate again" }).ClickAsync();
        await Assertions.Expect(page.Locator("#validation-status")).ToContainTextAsync("エラー");
        var findings = await page.Locator("#findings tbody tr").AllInnerTextsAsync();
        Assert.That(findings, Is.Not.Empty);
        await StaffBrowser.ScreenshotAsync(page, "staff-validation-report.png");

        await page.GetByRole(AriaRole.Link, new() { Name = "自動で直せる問題を直す / Apply the mechanical fixes" }).ClickAsync();
        await PageArrival.ArrivedAsync(page, "**/fix");
        await Assertions.Expect(page.Locator("#before")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#after")).ToBeVisibleAsync();
        await StaffBrowser.ScreenshotAsync(page, "staff-fix-side-by-side.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "修正したファイルを新しい版として保存 / Save the fixed file as a new version" }).ClickAsync();
        await PageArrival.ArrivedAsync(page, "**/report");
        await Assertions.Expect(page.Locator("#validation-status")).ToContainTextAsync("公開できます");
    }
}
