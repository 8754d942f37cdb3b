using Catalog.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Harvester.Jobs;

/// <summary>
/// The harvest objects of one running job, written in batches rather than one store write per page: on SQLite each
/// write waits for the one writer's lock, which the datasets' own writes hold most of the time, and an unchanged
/// re-run otherwise spends most of its time on these. An object not yet written when the runner dies is only a page
/// the resumed attempt imports again (imports are idempotent: it is found unchanged or updated, never duplicated).
/// </summary>
public sealed class JobObjects(IServiceScopeFactory scopes)
{
    private const int Batch = 64;

    private readonly List<HarvestObject> _pending = [];
    private readonly SemaphoreSlim _writing = new(1, 1);

    public async Task AddAsync(HarvestObject record, CancellationToken ct)
    {
        bool full;
        lock (_pending)
        {
            _pending.Add(record);
            full = _pending.Count >= Batch;
        }
        if (full) await FlushAsync(ct);
    }

    /// <summary>Writes the objects waiting, in one transaction.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _writing.WaitAsync(ct);
        try
        {
            List<HarvestObject> batch;
            lock (_pending)
            {
                batch = [.. _pending];
                _pending.Clear();
            }
            if (batch.Count == 0) return;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            db.HarvestObjects.AddRange(batch);
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            _writing.Release();
        }
    }
}
