using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Catalog.Core.Files;

/// <summary>A file received but not yet attached to a resource: written under a temporary name, hashed while copied.</summary>
public sealed record StagedBlob(string TempPath, string Sha256, long Size);

public sealed class FileTooLargeException(long limit) : Exception($"File too large: the limit is {limit} bytes");

/// <summary>
/// Uploaded files under <c>Catalog:Files:Dir</c> (<c>{DataDir}/files</c> by default), addressed by resource id and content hash, so replacing a file
/// never overwrites the one a committed resource still points to.
/// </summary>
public sealed class BlobStore(IOptions<CatalogOptions> options)
{
    private readonly string _root = options.Value.Files.Root(options.Value);

    public long MaxBytes => options.Value.MaxUploadBytes;

    public async Task<StagedBlob> StageAsync(Stream source, CancellationToken ct)
    {
        var temp = UnderRoot("tmp", Guid.NewGuid().ToString("N") + ".part");
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            await using var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                size += read;
                if (size > MaxBytes) throw new FileTooLargeException(MaxBytes);
                sha.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            await target.FlushAsync(ct);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return new StagedBlob(temp, Convert.ToHexStringLower(sha.GetHashAndReset()), size);
    }

    /// <summary>The file of a resource's upload. The hash must be one this store computed: 64 lowercase hex digits.</summary>
    public string PathFor(string resourceId, string sha256)
    {
        if (!IsSha256(sha256)) throw new ArgumentException("Invalid SHA-256", nameof(sha256));
        return UnderRoot(ResourceFolder(resourceId), sha256);
    }

    public static bool IsSha256(string? value) =>
        value is { Length: 64 } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>Moves a staged file to its final name (same content, same name: an overwrite changes nothing).</summary>
    public string Promote(StagedBlob staged, string resourceId)
    {
        var final = PathFor(resourceId, staged.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        File.Move(staged.TempPath, final, overwrite: true);
        return final;
    }

    /// <summary>
    /// After a commit: drop the files the resource no longer points to (but <paramref name="alsoKeepSha256"/>: the file
    /// as uploaded, kept beside its fixed version).
    /// </summary>
    public void DeleteAllExcept(string resourceId, string? keepSha256, string? alsoKeepSha256 = null)
    {
        var dir = ResourceDir(resourceId);
        if (!Directory.Exists(dir)) return;
        foreach (var file in Directory.EnumerateFiles(dir))
            if (Path.GetFileName(file) != keepSha256 && Path.GetFileName(file) != alsoKeepSha256) File.Delete(file);
        if (keepSha256 is null) Directory.Delete(dir, recursive: true);
    }

    private string ResourceDir(string resourceId) => UnderRoot(ResourceFolder(resourceId));

    private static string ResourceFolder(string resourceId)
    {
        // Ids are UUIDs we generate (or harvested ones, checked as UUIDs); refuse anything else outright.
        if (resourceId.Length < 2 || resourceId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
            throw new ArgumentException("Invalid resource id", nameof(resourceId));
        return Path.Combine(resourceId[..2], resourceId);
    }

    /// <summary>
    /// Every path this store touches is made here, and must resolve to a place strictly inside its root, whatever the
    /// pieces hold (a rooted piece would otherwise replace the root, and ".." would climb out of it).
    /// </summary>
    private string UnderRoot(params string[] parts)
    {
        var full = Path.GetFullPath(Path.Combine([_root, .. parts]));
        if (parts.Any(Path.IsPathRooted) || !full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException("Path outside the file store", nameof(parts));
        return full;
    }
}
