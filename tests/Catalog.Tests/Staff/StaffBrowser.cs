using Microsoft.Playwright;

namespace Catalog.Tests.Staff;

/// <summary>
/// Debian's chromium driven by Playwright, headless, with the flags a closed network needs; pages get a Japanese
/// locale. Screenshots go to docs/screenshots/ only when UPDATE_SCREENSHOTS=1.
/// </summary>
public sealed class StaffBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    public IBrowser Browser { get; }

    private StaffBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>The browser, or the test is ignored with the reason when chromium is not installed (test.sh installs it).</summary>
    public static async Task<StaffBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath)) Assert.Ignore($"{ChromiumPath} not installed (apt-get install chromium fonts-ipafont-gothic)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return new StaffBrowser(playwright, browser);
    }

    public async Task<IPage> NewPageAsync(string baseUrl)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseUrl, Locale = "ja-JP", ViewportSize = new() { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") != "1") return;
        var dir = Path.Combine(RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Catalog.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Catalog.sln not found above the test folder");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
