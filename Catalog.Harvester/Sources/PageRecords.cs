using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Catalog.Core.Store;
using Catalog.Harvester.Fetching;
using Catalog.Harvester.Parsing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Harvester.Sources;

/// <summary>What was known of a page after the last crawl: its validators, body hash and what it was read as.</summary>
public sealed record PageRecord(string? ETag, string? LastModified, string? Sha256, DepartmentPage? Page);

/// <summary>
/// Pages crawled before, in the harvest records beside the files (harvest_file), so that the next crawl asks for
/// them conditionally and does not read again a page that did not change. What a page is read as depends on the
/// selectors of the config and on the reader, not on which source crawls it: the records are kept under a key made
/// of those (a source whose selectors change reads its pages afresh).
/// </summary>
public sealed class PageRecords(IServiceScopeFactory scopes)
{
    /// <summary>Raised when <see cref="DepartmentPageReader"/> reads pages differently, so older records are not reused.</summary>
    private const string ReaderVersion = "1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The record key of pages read with this config's selectors; never a source id (those are GUIDs).</summary>
    public static string KeyOf(HarvestConfig config)
    {
        var selectors = string.Join('\n', ReaderVersion, config.TitleSelector, config.ContentSelector, config.NotesSelector,
            config.BreadcrumbSelector, config.TableSelector);
        return "page:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(selectors)))[..32];
    }

    public async Task<PageRecord?> FindAsync(string key, Uri url, CancellationToken ct)
    {
        var address = url.AbsoluteUri;
        var row = await scopes.WithDbAsync(db => db.HarvestFiles.AsNoTracking().FirstOrDefaultAsync(f => f.SourceId == key && f.Url == address, ct));
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

    /// <summary>Remembers the page as fetched now (its validators) and as read (or as read before, when the body is the same).</summary>
    public async Task SaveAsync(string key, Uri url, FetchResult fetched, DepartmentPage page, CancellationToken ct)
    {
        var address = url.AbsoluteUri;
        var profile = JsonSerializer.Serialize(page, Json);
        // The crawl found each URL once, so no two writers share a row within a job; jobs of one source do not overlap.
        await scopes.WithDbAsync(async db =>
        {
            var row = await db.HarvestFiles.FirstOrDefaultAsync(f => f.SourceId == key && f.Url == address, ct);
            if (row is null) db.HarvestFiles.Add(row = new HarvestFile { SourceId = key, Url = address });
            row.ETag = fetched.ETag;
            row.LastModified = fetched.LastModified;
            row.Sha256 = fetched.Sha256;
            row.Profile = profile;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Two sources with the same selectors crawled the page at once: the other's record serves as well.
            }
            return 0;
        });
    }
}
