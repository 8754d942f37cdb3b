using Catalog.Core.Files;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Core.Dispatch;

/// <summary>
/// A call's uploaded files copied into the blob store's temporary folder, hashed and checked before its transaction
/// begins, so that a write holds the store's write lock (SQLite has one for the whole file) only for the database
/// work. Each staged file is taken at most once by the handler (<see cref="Take"/>); what is not taken is deleted
/// when the call ends. A file too large or whose content does not match its name is recorded here and refused
/// only if the handler attaches it, as before.
/// </summary>
internal sealed class StagedUploads
{
    /// <summary>One file as staged: its copy, or why it cannot be stored (too large; content not matching its name).</summary>
    public sealed record Entry(StagedBlob? Blob, string? TooLarge, string? Problem);

    private readonly Dictionary<UploadedFile, Entry> _entries = new(ReferenceEqualityComparer.Instance);

    public static async Task<StagedUploads> StageAsync(IServiceProvider services, IReadOnlyDictionary<string, UploadedFile> files,
        CancellationToken ct)
    {
        var staged = new StagedUploads();
        if (files.Count == 0 || services.GetService<BlobStore>() is not { } blobs) return staged;
        try
        {
            foreach (var file in files.Values.Distinct(ReferenceEqualityComparer.Instance).Cast<UploadedFile>())
                staged._entries[file] = await StageOneAsync(blobs, file, ct);
        }
        catch
        {
            staged.Discard();
            throw;
        }
        return staged;
    }

    private static async Task<Entry> StageOneAsync(BlobStore blobs, UploadedFile file, CancellationToken ct)
    {
        // A part without a file name is refused by the handler before it reads anything.
        if (string.IsNullOrWhiteSpace(file.FileName)) return new Entry(null, null, null);
        StagedBlob blob;
        try
        {
            await using var source = file.OpenRead();
            blob = await blobs.StageAsync(source, ct);
        }
        catch (FileTooLargeException e)
        {
            return new Entry(null, e.Message, null);
        }
        if (UploadContent.Problem(blob.TempPath, FileTypes.MungeFileName(file.FileName)) is { } problem)
        {
            File.Delete(blob.TempPath);
            return new Entry(null, null, problem);
        }
        return new Entry(blob, null, null);
    }

    /// <summary>The file as staged before the transaction, once; null when it was not (or was taken already).</summary>
    public Entry? Take(UploadedFile file) => _entries.Remove(file, out var entry) && (entry.Blob is not null || entry.TooLarge is not null || entry.Problem is not null)
        ? entry : null;

    /// <summary>Deletes the staged copies no handler took.</summary>
    public void Discard()
    {
        foreach (var entry in _entries.Values)
            if (entry.Blob is { } blob) try { File.Delete(blob.TempPath); } catch (IOException) { }
        _entries.Clear();
    }
}
