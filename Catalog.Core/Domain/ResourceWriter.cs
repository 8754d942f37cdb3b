using System.Text.Json.Nodes;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Files;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>Applies a validated resource dict to a resource entity, and attaches uploaded files.</summary>
internal static class ResourceWriter
{
    private static readonly HashSet<string> CoreKeys = PackageSchemas.Resource.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Replace semantics (resource_update): what the dict does not give is cleared, except a kept upload.</summary>
    public static void Apply(ActionContext ctx, Resource r, JsonObject d, bool isNew)
    {
        var urls = ctx.Get<SiteUrls>();
        var url = Str(d, "url");
        var wasUpload = r.UrlType == "upload";
        var keepUpload = wasUpload && !(d["clear_upload"]?.GetValue<bool>() ?? false)
            && (url is null || url == r.Url || url == ResourceDictizer.PublicUrl(r, urls) || Str(d, "url_type") == "upload");

        if (!keepUpload)
        {
            r.Url = url ?? "";
            r.UrlType = Str(d, "url_type") is { Length: > 0 } t && t != "upload" ? t : null;
            r.BlobSha256 = null;
            // The file left behind is unreachable now; read the resource at commit time, as the same call may upload anew.
            if (wasUpload)
            {
                var blobs = ctx.Get<BlobStore>();
                ctx.AfterCommit(() => { blobs.DeleteAllExcept(r.Id, r.BlobSha256); return Task.CompletedTask; });
            }
        }
        r.Name = Str(d, "name");
        r.Description = Str(d, "description");
        r.Format = Str(d, "format") is { Length: > 0 } f ? FileTypes.NormalizeFormat(f) : FileTypes.FormatFromName(r.Url);
        r.Hash = Str(d, "hash") ?? (keepUpload ? r.Hash : "");
        r.Mimetype = Str(d, "mimetype") ?? (keepUpload ? r.Mimetype : r.Url.Length > 0 ? FileTypes.Mimetype(r.Url.Split('?')[0]) : null);
        r.MimetypeInner = Str(d, "mimetype_inner");
        r.ResourceType = Str(d, "resource_type");
        r.CacheUrl = Str(d, "cache_url");
        r.Size = d["size"]?.GetValue<long>() ?? (keepUpload ? r.Size : null);
        r.Created = Date(d, "created") ?? (isNew ? ctx.Now : r.Created);
        r.LastModified = Date(d, "last_modified") ?? (keepUpload ? r.LastModified : null);
        r.CacheLastUpdated = Date(d, "cache_last_updated");
        r.MetadataModified = ctx.Now;

        var extras = new JsonObject();
        foreach (var (key, value) in d)
            if (!CoreKeys.Contains(key)) extras[key] = value?.DeepClone();
        r.ExtrasJson = extras.ToJsonString();
    }

    /// <summary>
    /// Stores the file under its content hash and points the resource at it. The file is in place before the commit;
    /// if the commit fails it is removed again, and once it succeeds the resource's older files are.
    /// </summary>
    /// <param name="keepSha256">A file of the resource kept as well (the original of a fixed file).</param>
    public static async Task AttachUploadAsync(ActionContext ctx, Resource r, UploadedFile file, string? keepSha256 = null)
    {
        var fileName = FileTypes.MungeFileName(file.FileName);
        if (string.IsNullOrWhiteSpace(file.FileName))
            throw ValidationException.For("upload", "No file was uploaded");
        var blobs = ctx.Get<BlobStore>();
        StagedBlob staged;
        // Copied, hashed and checked before the transaction began (the dispatcher stages a call's files); a file made
        // by the handler itself, or attached twice, is staged here.
        if (ctx.Staged?.Take(file) is { } early)
        {
            if (early.TooLarge is not null) throw ValidationException.For("upload", early.TooLarge);
            if (early.Problem is not null) throw ValidationException.For("upload", early.Problem);
            staged = early.Blob!;
        }
        else
        {
            try
            {
                await using var source = file.OpenRead();
                staged = await blobs.StageAsync(source, ctx.CancellationToken);
            }
            catch (FileTooLargeException e)
            {
                throw ValidationException.For("upload", e.Message);
            }
            if (UploadContent.Problem(staged.TempPath, fileName) is { } problem)
            {
                File.Delete(staged.TempPath);
                throw ValidationException.For("upload", problem);
            }
        }

        var finalPath = blobs.PathFor(r.Id, staged.Sha256);
        var existedBefore = File.Exists(finalPath);
        blobs.Promote(staged, r.Id);
        if (!existedBefore) ctx.OnFailure(() => File.Delete(finalPath));
        ctx.AfterCommit(() => { blobs.DeleteAllExcept(r.Id, staged.Sha256, keepSha256); return Task.CompletedTask; });
        foreach (var listener in ctx.Get<IEnumerable<IUploadListener>>())
            ctx.AfterCommit(() => { listener.Uploaded(r.Id); return Task.CompletedTask; });

        r.Url = fileName;
        r.UrlType = "upload";
        r.Size = staged.Size;
        r.Hash = staged.Sha256;
        r.BlobSha256 = staged.Sha256;
        r.Mimetype = FileTypes.Mimetype(fileName) ?? file.ContentType ?? "application/octet-stream";
        r.LastModified = ctx.Now;
        if (string.IsNullOrEmpty(r.Format)) r.Format = FileTypes.FormatFromName(fileName);
    }

    /// <summary>A text value where a file was expected (or a file part with no file) is refused, not ignored.</summary>
    public static UploadedFile? UploadOf(ActionContext ctx, JsonObject d)
    {
        if (ctx.Files.TryGetValue("upload", out var file)) return file;
        if (Str(d, "upload") is { Length: > 0 })
            throw ValidationException.For("upload", "No file was uploaded: send the file as a multipart part named \"upload\"");
        return null;
    }

    /// <summary>
    /// Harvesters keep remote resource ids (UUIDs not yet used here), in the canonical form only, since ids name
    /// folders of the blob store; otherwise a fresh UUID.
    /// </summary>
    public static string NewResourceId(ActionContext ctx, string? wanted)
    {
        if (Canonical(wanted) is not { } id) return Guid.NewGuid().ToString();
        return ctx.Db.Resources.Any(r => r.Id == id) ? Guid.NewGuid().ToString() : id;
    }

    /// <summary><see cref="NewResourceId(ActionContext, string?)"/> with the ids already in use known (<see cref="TakenIdsAsync"/>).</summary>
    public static string NewResourceId(string? wanted, IReadOnlySet<string> taken) =>
        Canonical(wanted) is { } id && !taken.Contains(id) ? id : Guid.NewGuid().ToString();

    /// <summary>Which of these wanted ids are in use, in one query (a dataset's new resources, not one query each).</summary>
    public static async Task<IReadOnlySet<string>> TakenIdsAsync(ActionContext ctx, IEnumerable<string?> wanted)
    {
        var ids = wanted.Select(Canonical).OfType<string>().Distinct().ToList();
        if (ids.Count == 0) return new HashSet<string>();
        return (await ctx.Db.Resources.Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(ctx.CancellationToken)).ToHashSet();
    }

    private static string? Canonical(string? wanted) => wanted is not null && Guid.TryParse(wanted, out var parsed) ? parsed.ToString() : null;

    private static string? Str(JsonObject d, string key) => Validators.AsString(d[key]);

    private static DateTime? Date(JsonObject d, string key) =>
        Str(d, key) is { } s && Timestamps.TryParse(s, out var dt) ? dt : null;
}
