using Microsoft.Playwright;

namespace Catalog.Tests.Browser;

/// <summary>
/// Headless Debian Chromium driven by Playwright, shared by the browser tests (citizen and staff pages alike).
/// Playwright's own browser download cannot work here: the system's <c>chromium</c> is used (test.sh installs it, with
/// <c>fonts-ipafont-gothic</c> for Japanese text). Start one per fixture, open a fresh context per test with
/// <see cref="NewPageAsync"/> (own cookies), dispose at the end.
/// <code>
/// _browser = await BrowserSession.StartAsync();
/// var page = await _browser.NewPageAsync(host.BaseUrl, locale: "ja-JP");
/// await page.GotoAsync("/");
/// await _browser.ScreenshotAsync(page, "home-ja");   // docs/screenshots/home-ja.png when UPDATE_SCREENSHOTS=1
/// </code>
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    public IBrowser Browser { get; }

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>The Chromium to drive: CHROMIUM_PATH, else the first of Debian's usual places.</summary>
    public static string? ChromiumPath() =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    /// <summary>Starts Chromium headless; the test is ignored (not failed) when no Chromium is installed.</summary>
    public static async Task<BrowserSession> StartAsync()
    {
        var path = ChromiumPath();
        if (path is null) Assert.Ignore("Chromium not found (test.sh installs Debian's chromium); browser tests skipped.");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = path, Headless = true,
                // The closed network refuses the browser's own background connections: switch them off.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
            });
            return new BrowserSession(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page in a fresh context (no cookies) whose relative addresses resolve against <paramref name="baseUrl"/>.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl, string locale = "ja-JP", bool acceptDownloads = true)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = baseUrl, Locale = locale, AcceptDownloads = acceptDownloads,
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Writes a full-page screenshot to docs/screenshots/{name}.png when UPDATE_SCREENSHOTS=1, else nothing.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") != "1") return;
        var dir = Path.Combine(RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    /// <summary>The folder holding Catalog.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Catalog.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Catalog.sln not found above the test binaries.");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
