using Microsoft.AspNetCore.Http;

namespace Catalog.Web.Hosting;

/// <summary>
/// A strict Content-Security-Policy for the pages: scripts, styles and fonts from this site only, no inline script,
/// and images from the tile server only when map tiles are on (the one outside request the pages may make).
/// </summary>
public static class SecurityHeaders
{
    public static string Policy(UiOptions ui) =>
        "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; connect-src 'self'; " +
        $"img-src 'self' data:{(ui.TileOrigin is { } o ? " " + o : "")}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response, UiOptions ui)
    {
        var h = response.Headers;
        h.ContentSecurityPolicy = Policy(ui);
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "strict-origin-when-cross-origin";
        h.XFrameOptions = "DENY";
    }
}
