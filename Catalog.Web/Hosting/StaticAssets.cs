using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace Catalog.Web.Hosting;

/// <summary>
/// The pages' scripts, styles and images under <c>/assets/</c>, from the assembly: only names the build embedded are
/// answered, each with an ETag and a day's caching (links carry <c>?v=</c>, the build's hash, so a new build is fetched).
/// </summary>
public static class StaticAssets
{
    private sealed record Asset(byte[] Body, string ContentType, string ETag);

    private static readonly FrozenDictionary<string, Asset> All = Load();

    /// <summary>Changes whenever any asset changes; appended to asset links.</summary>
    public static readonly string Version = Convert.ToHexStringLower(
        SHA256.HashData(All.OrderBy(a => a.Key, StringComparer.Ordinal).SelectMany(a => a.Value.Body).ToArray()))[..12];

    public static string Url(string path) => $"/assets/{path}?v={Version}";

    public static IEndpointRouteBuilder MapCatalogAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{**path}", (string path, HttpContext http) =>
        {
            if (!All.TryGetValue(path, out var a)) return Results.NotFound();
            var h = http.Response.Headers;
            h.CacheControl = "public, max-age=86400";
            h.ETag = a.ETag;
            h.XContentTypeOptions = "nosniff";
            if (http.Request.Headers.IfNoneMatch.ToString() == a.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.Bytes(a.Body, a.ContentType);
        }).ExcludeFromDescription();
        return app;
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var asm = typeof(StaticAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith("assets/", StringComparison.Ordinal)))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            var body = ms.ToArray();
            var path = name["assets/".Length..].Replace('\\', '/');
            var type = types.TryGetContentType(path, out var t) ? t : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal)) type += "; charset=utf-8";
            assets[path] = new Asset(body, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}\"");
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
