using Catalog.Api.ActionApi;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Files;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Catalog.Api.Downloads;

/// <summary>
/// Uploaded files at CKAN's URL, <c>/dataset/{id}/resource/{rid}/download/{filename}</c>, with ETag and Range; links
/// are redirected to. How the bytes are labelled is <see cref="FileResponses"/>'s decision.
/// </summary>
public static class DownloadEndpoints
{
    public static IEndpointRouteBuilder MapDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dataset/{id}/resource/{resourceId}/download/{fileName?}", DownloadAsync);
        return app;
    }

    private static async Task<IResult> DownloadAsync(string id, string resourceId, string? fileName, HttpContext http,
        CatalogDbContext db, BlobStore blobs, SiteUrls urls)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        var resource = await db.Resources.AsNoTracking().Include(r => r.Package)
            .FirstOrDefaultAsync(r => r.Id == resourceId && r.State == ObjectState.Active, http.RequestAborted);
        if (resource?.Package is not { } package || (package.Id != id && package.Name != id))
            return NotFound();

        var caller = await CallerResolution.ResolveAsync(http);
        if (!await new Authorizer(caller, db, http.RequestServices.GetRequiredService<IOptions<CatalogOptions>>().Value.Auth).CanReadPackageAsync(package, http.RequestAborted))
            return Results.Content("Access denied", "text/plain;charset=utf-8", statusCode: StatusCodes.Status403Forbidden);

        if (resource.UrlType != "upload")
            return FileResponses.RedirectTarget(ResourceDictizer.PublicUrl(resource, urls)) is { } target
                ? Results.Redirect(target) : NotFound();
        // Only the hash the blob store computed names the file; the client's "hash" is metadata.
        if (!BlobStore.IsSha256(resource.BlobSha256)) return NotFound();
        var path = blobs.PathFor(resource.Id, resource.BlobSha256!);
        if (!File.Exists(path)) return NotFound();

        var mediaType = FileResponses.MediaType(resource);
        http.Response.Headers.ContentSecurityPolicy = FileResponses.ContentSecurityPolicy;
        http.Response.Headers.ContentDisposition = FileResponses.ContentDisposition(FileResponses.IsInline(mediaType), resource.Url);
        return Results.File(path,
            contentType: FileResponses.ContentType(resource, mediaType),
            lastModified: resource.LastModified is { } lm ? new DateTimeOffset(lm, TimeSpan.Zero) : null,
            entityTag: new EntityTagHeaderValue($"\"{resource.BlobSha256}\""),
            enableRangeProcessing: true);
    }

    private static IResult NotFound() =>
        Results.Content("Not found", "text/plain;charset=utf-8", statusCode: StatusCodes.Status404NotFound);
}
