using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Catalog.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Catalog.Web.Feeds;

/// <summary>
/// CKAN's Atom feeds of recently changed datasets: the whole site, one organization, one group. Built from
/// <c>package_search</c> as the anonymous visitor, so they list public datasets only.
/// </summary>
public static partial class AtomFeeds
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private const int Entries = 20;

    [GeneratedRegex("^[a-z0-9_-]{2,100}$")]
    private static partial Regex CkanName();

    public static IEndpointRouteBuilder MapAtomFeeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feeds/dataset.atom", (HttpContext http, PageActions actions) =>
            FeedAsync(http, actions, null, null, "Recently changed datasets / 新着・更新データセット"));
        app.MapGet("/feeds/organization/{file}", (string file, HttpContext http, PageActions actions) =>
            OfAsync(http, actions, "organization", file));
        app.MapGet("/feeds/group/{file}", (string file, HttpContext http, PageActions actions) =>
            OfAsync(http, actions, "group", file));
        return app;
    }

    private static async Task<IResult> OfAsync(HttpContext http, PageActions actions, string kind, string file)
    {
        if (!file.EndsWith(".atom", StringComparison.Ordinal) || !CkanName().IsMatch(file[..^5])) return Results.NotFound();
        var name = file[..^5];
        if (await actions.FindAsync($"{kind}_show", new JsonObject { ["id"] = name, ["include_users"] = false }) is not { } group)
            return Results.NotFound();
        var field = kind == "organization" ? "organization" : "groups";
        return await FeedAsync(http, actions, $"{field}:\"{CatalogPageModel.S(group, "name")}\"", $"/{kind}/{CatalogPageModel.S(group, "name")}",
            CatalogPageModel.S(group, "title"));
    }

    private static async Task<IResult> FeedAsync(HttpContext http, PageActions actions, string? fq, string? htmlPath, string title)
    {
        var data = new JsonObject { ["rows"] = Entries, ["sort"] = "metadata_modified desc", ["facet"] = false };
        if (fq is not null) data["fq"] = fq;
        var found = await actions.CallAsync("package_search", data);
        var site = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var results = found?["results"]?.AsArray() ?? [];
        var updated = results.Select(r => Time(CatalogPageModel.S(r, "metadata_modified"))).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "title", title),
            new XElement(Atom + "id", site + http.Request.Path),
            new XElement(Atom + "updated", updated.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("href", site + http.Request.Path)),
            new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", site + (htmlPath ?? "/dataset"))),
            results.Select(r =>
            {
                var name = CatalogPageModel.S(r, "name");
                return new XElement(Atom + "entry",
                    new XElement(Atom + "title", CatalogPageModel.S(r, "title")),
                    new XElement(Atom + "id", $"{site}/dataset/{CatalogPageModel.S(r, "id")}"),
                    new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", $"{site}/dataset/{name}")),
                    new XElement(Atom + "link", new XAttribute("rel", "enclosure"), new XAttribute("type", "application/json"),
                        new XAttribute("href", $"{site}/api/3/action/package_show?id={name}")),
                    new XElement(Atom + "updated", Time(CatalogPageModel.S(r, "metadata_modified")).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                    new XElement(Atom + "published", Time(CatalogPageModel.S(r, "metadata_created")).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                    new XElement(Atom + "author", new XElement(Atom + "name", CatalogPageModel.S(r?["organization"], "title") is { Length: > 0 } o ? o : "-")),
                    new XElement(Atom + "summary", CatalogPageModel.S(r, "notes")));
            }));
        var xml = new XDocument(new XDeclaration("1.0", "utf-8", null), feed);
        var body = Encoding.UTF8.GetBytes(xml.Declaration + "\n" + feed.ToString(SaveOptions.DisableFormatting));
        http.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Bytes(body, "application/atom+xml; charset=utf-8");
    }

    private static DateTimeOffset Time(string iso) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : DateTimeOffset.UnixEpoch;
}
