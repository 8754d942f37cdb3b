using System.Globalization;
using System.Text.Json.Nodes;
using Catalog.Web.Hosting;
using Catalog.Web.Localization;

namespace Catalog.Web.Rendering;

/// <summary>A resource's format, size and encoding in one line, and which links may be offered.</summary>
public static class ResourceFacts
{
    public static string Line(JsonNode? r, Texts t)
    {
        var parts = new List<string>();
        if (r?["size"] is JsonValue) parts.Add(Size(CatalogPageModel.L(r["size"])));
        if (CatalogPageModel.S(r, "encoding") is { Length: > 0 } enc) parts.Add(t.Format("resource.encoding", enc));
        if (r?["datastore_active"]?.GetValue<bool>() == true) parts.Add(t["resource.datastore"]);
        return string.Join(" · ", parts);
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / 1024.0 / 1024).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    /// <summary>Only http(s) and site-relative links are shown as links (never javascript: or data:).</summary>
    public static bool IsWebUrl(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
        || Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp);
}
