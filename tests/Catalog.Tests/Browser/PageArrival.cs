using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Catalog.Tests.Browser;

public static class PageArrival
{
    /// <summary>
    /// Waits until the page's address matches the glob and its document has loaded. Playwright's WaitForURLAsync checks
    /// the frame's load state and then subscribes to it; a load that lands between the two is missed and the wait runs
    /// into its timeout. Polling the address and the document's readyState has no such gap.
    /// </summary>
    public static async Task ArrivedAsync(IPage page, string glob)
    {
        var pattern = "^" + Regex.Escape(glob).Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*") + "$";
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(pattern));
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
    }
}
