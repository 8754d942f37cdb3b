using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Catalog.Core.Store;
using Catalog.Harvester.Fetching;
using Catalog.Harvester.Import;
using Catalog.Harvester.Parsing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Harvester.Sources;

/// <summary>What was known of a page after the last crawl: its validators, body hash and what it was read as.</summary>
public sealed record PageRecord(string? ETag, string? LastModified, string? Sha256, DepartmentPage? Page);

/// <summary>
/// Pages crawled before, in the harvest records beside the files (harvest_file), so that the next crawl asks for
/// them conditionally and does not read again a page that did not change. What a page is read as depends on the
/// selectors of the config and on the reader: the records are kept under a key made of the source and those (a source
/// whose selectors change reads its pages afresh), so that they go with their source (<see cref="OfSource"/>).
/// </summary>
public sealed class PageRecords(IServiceScopeFactory scopes, FileRecords files)
{
    /// <summary>Raised when <see cref="DepartmentPageReader"/> reads pages differently, so older records are not reused.</summary>
    private const string ReaderVersion = "1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The record key of the source's pages read with this config's selectors: <c>page:{source id}:{selectors hash}</c>,
    /// never a source id itself (those are bare GUIDs, the key of the source's files).
    /// </summary>
    public static string KeyOf(string sourceId, HarvestConfig config)
    {
        var selectors = string.Join('\n', ReaderVersion, config.TitleSelector, config.ContentSelector, config.NotesSelector,
            config.BreadcrumbSelector, config.TableSelector);
        return $"{PagePrefix(sourceId)}{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(selectors)))[..32]}";
    }

    private static string PagePrefix(string sourceId) => $"page:{sourceId}:";

    /// <summary>Every record of the source: its files' and its pages' (under any selectors it had).</summary>
    public static IQueryable<HarvestFile> OfSource(CatalogDbContext db, string sourceId)
    {
        var pages = PagePrefix(sourceId);
        return db.HarvestFiles.Where(f => f.SourceId == sourceId || f.SourceId.StartsWith(pages));
    }

    public async Task<PageRecord?> FindAsync(string key, Uri url, CancellationToken ct)
    {
        var address = url.AbsoluteUri;
        var row = files.Pending(key, address)
            ?? await scopes.WithDbAsync(db => db.HarvestFiles.AsNoTracking().FirstOrDefaultAsync(f => f.SourceId == key && f.Url == address, ct));
        if (row is null) return null;
        DepartmentPage? page = null;
        try
        {
            page = row.Profile is null ? null : JsonSerializer.Deserialize<DepartmentPage>(row.Profile, Json);
        }
        catch (JsonException)
        {
            // A record that cannot be read back is as good as none: the page is fetched and read in full.
        }
        return new PageRecord(row.ETag, row.LastModified, row.Sha256, page);
    }

    /// <summary>
    /// Remembers the page as fetched now (its validators) and as read (or as read before, when the body is the same),
    /// in the files' batches (<see cref="FileRecords"/>): a crawl's first run would otherwise write once per page.
    /// </summary>
    public Task SaveAsync(string key, Uri url, FetchResult fetched, DepartmentPage page, CancellationToken ct) =>
        files.RememberAsync(new HarvestFile
        {
            SourceId = key, Url = url.AbsoluteUri, ETag = fetched.ETag, LastModified = fetched.LastModified, Sha256 = fetched.Sha256,
            Profile = JsonSerializer.Serialize(page, Json),
        }, ct);

    /// <summary>Writes the records waiting (at the end of a crawl).</summary>
    public Task FlushAsync(CancellationToken ct) => files.FlushAsync(ct);
}
