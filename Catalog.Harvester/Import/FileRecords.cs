using System.Collections.Concurrent;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Harvester.Import;

/// <summary>
/// What was fetched of each file (validators, hash, profile), and of each page (<see cref="Sources.PageRecords"/>), for
/// the next run's conditional requests. Written in batches, not one store write per file or page: on SQLite each write waits for the one writer's lock, which the datasets'
/// own writes hold most of the time. A record not yet written costs only a full fetch next time.
/// </summary>
public sealed class FileRecords(IServiceScopeFactory scopes, ILogger<FileRecords> logger)
{
    private const int Batch = 64;

    private readonly ConcurrentDictionary<(string SourceId, string Url), HarvestFile> _pending = new();
    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>The record waiting to be written, if any.</summary>
    public HarvestFile? Pending(string sourceId, string url) => _pending.GetValueOrDefault((sourceId, url));

    /// <summary>The stored records of these files, by URL, in one query (records waiting to be written are not included).</summary>
    public async Task<IReadOnlyDictionary<string, HarvestFile>> FindManyAsync(string sourceId, IReadOnlyCollection<string> urls, CancellationToken ct)
    {
        if (urls.Count == 0) return new Dictionary<string, HarvestFile>();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        return await db.HarvestFiles.AsNoTracking().Where(f => f.SourceId == sourceId && urls.Contains(f.Url))
            .ToDictionaryAsync(f => f.Url, StringComparer.Ordinal, ct);
    }

    public async Task RememberAsync(HarvestFile record, CancellationToken ct)
    {
        _pending[(record.SourceId, record.Url)] = record;
        if (_pending.Count >= Batch) await FlushAsync(ct);
    }

    /// <summary>Writes the records waiting, in one transaction.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _writing.WaitAsync(ct);
        try
        {
            var batch = new List<HarvestFile>();
            foreach (var key in _pending.Keys)
                if (_pending.TryRemove(key, out var record)) batch.Add(record);
            if (batch.Count == 0) return;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            foreach (var bySource in batch.GroupBy(r => r.SourceId))
            {
                var urls = bySource.Select(r => r.Url).ToList();
                var stored = await db.HarvestFiles.Where(f => f.SourceId == bySource.Key && urls.Contains(f.Url))
                    .ToDictionaryAsync(f => f.Url, StringComparer.Ordinal, ct);
                foreach (var r in bySource)
                {
                    if (!stored.TryGetValue(r.Url, out var row)) db.HarvestFiles.Add(row = new HarvestFile { SourceId = r.SourceId, Url = r.Url });
                    (row.ETag, row.LastModified, row.Sha256, row.Profile) = (r.ETag, r.LastModified, r.Sha256, r.Profile);
                }
            }
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            // Only the next run's conditional requests are lost: those files are fetched in full then.
            logger.LogWarning(e, "Could not remember fetched files for conditional requests");
        }
        finally
        {
            _writing.Release();
        }
    }
}
