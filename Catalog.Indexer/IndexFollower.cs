using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Catalog.Core.Actions;
using Catalog.Core.Dictize;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Indexer;

/// <summary>
/// Keeps the index in step with the store by following the change feed (Activity.Seq). Told after every committed
/// write, it re-reads the current state of each dataset changed since the index's last commit (a purged or deleted
/// dataset leaves the index) and commits with the new sequence, before the write action returns. A missing,
/// unreadable or foreign index is rebuilt from the store. One catch-up at a time.
/// </summary>
public sealed class IndexFollower(SearchIndex index, IServiceScopeFactory scopes, GroupTitles? titles = null, ILogger<IndexFollower>? logger = null)
    : ICommitListener
{
    private const int BatchSize = 500;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _checkedAgainstStore;
    private Task _merged = Task.CompletedTask;

    public SearchIndex Index => index;

    public Task CommittedAsync(CancellationToken ct) => CatchUpAsync(ct);

    public async Task CatchUpAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            if (!_checkedAgainstStore)
            {
                // An index ahead of the feed was built from another store (a replaced database): start over.
                var last = await LastSeqAsync(db, ct);
                if (index.AppliedSeq > last)
                {
                    logger?.LogWarning("The search index is at change {Applied} but the store only at {Last}; rebuilding", index.AppliedSeq, last);
                    await RebuildLockedAsync(null, ct);
                }
                _checkedAgainstStore = true;
            }
            if (index.NeedsRebuild) await RebuildLockedAsync(null, ct);
            await ApplyChangesLockedAsync(scope.ServiceProvider, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rebuilds the whole index from the store, then applies whatever changed meanwhile.</summary>
    /// <returns>The number of datasets indexed.</returns>
    public async Task<int> RebuildAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var count = await RebuildLockedAsync(progress, ct);
            await using var scope = scopes.CreateAsyncScope();
            await ApplyChangesLockedAsync(scope.ServiceProvider, ct);
            _checkedAgainstStore = true;
            return count;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ApplyChangesLockedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<CatalogDbContext>();
        var dictizer = services.GetRequiredService<PackageDictizer>();
        while (true)
        {
            var from = index.AppliedSeq;
            var changes = await db.Activities.AsNoTracking()
                .Where(a => a.Seq > from)
                .OrderBy(a => a.Seq)
                .Take(BatchSize)
                .Select(a => new { a.Seq, a.ObjectType, a.ObjectId })
                .ToListAsync(ct);
            if (changes.Count == 0) return;

            var packageIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                switch (change.ObjectType)
                {
                    case "package":
                        packageIds.Add(change.ObjectId);
                        break;
                    case "organization" or "group":
                        // Datasets embed their organization and groups (names, titles): re-read every one naming it,
                        // in the store now or in the index still.
                        packageIds.UnionWith(await DatasetsOfGroupAsync(db, change.ObjectId, ct));
                        titles?.Forget();
                        break;
                }
            }
            await ReindexAsync(db, dictizer, packageIds, ct);
            index.Commit(changes[^1].Seq);
            if (changes.Count < BatchSize) return;
        }
    }

    private async Task<IEnumerable<string>> DatasetsOfGroupAsync(CatalogDbContext db, string groupId, CancellationToken ct)
    {
        var owned = await db.Packages.AsNoTracking().Where(p => p.OwnerOrgId == groupId).Select(p => p.Id).ToListAsync(ct);
        var members = await db.Members.AsNoTracking()
            .Where(m => m.GroupId == groupId && m.TableName == "package").Select(m => m.TableId).ToListAsync(ct);
        return owned.Concat(members)
            .Concat(index.IdsWhere(IndexFields.OwnerOrg, groupId))
            .Concat(index.IdsWhere(IndexFields.GroupIds, groupId));
    }

    private async Task ReindexAsync(CatalogDbContext db, PackageDictizer dictizer, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        foreach (var chunk in ids.Chunk(BatchSize))
        {
            var packages = await db.Packages.AsNoTracking().WithDetails().Where(p => chunk.Contains(p.Id)).ToListAsync(ct);
            var groups = await PackageLookup.GroupsOfAsync(db, chunk, ct);
            var found = packages.ToDictionary(p => p.Id, StringComparer.Ordinal);
            foreach (var id in chunk)
            {
                if (found.TryGetValue(id, out var p) && p.State != ObjectState.Deleted)
                    index.Upsert(dictizer.Dictize(p, groups.GetValueOrDefault(id) ?? []));
                else
                    index.Delete(id);
            }
        }
    }

    private async Task<int> RebuildLockedAsync(IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var dictizer = scope.ServiceProvider.GetRequiredService<PackageDictizer>();
        // Taken first: changes committed while the rebuild reads are applied again afterwards (re-applying is harmless).
        var seq = await LastSeqAsync(db, ct);
        var total = await db.Packages.CountAsync(p => p.State != ObjectState.Deleted, ct);
        var done = 0;
        var indexed = TimeSpan.Zero;
        index.DeleteAll();
        using var bulk = index.Bulk();
        try
        {
            var reader = await PackageBulkReader.OpenAsync(db, ct);
            done = await ReadAndIndexAsync(reader, dictizer, total, bulk.Ending, progress, ct);
            indexed = watch.Elapsed;
            index.Commit(seq);
        }
        catch
        {
            index.Rollback();
            throw;
        }
        logger?.LogInformation("Rebuilt the search index: {Count} datasets in {Seconds:F1} s (read and indexed in {Indexed:F1} s, committed in {Committed:F1} s)",
            done, watch.Elapsed.TotalSeconds, indexed.TotalSeconds, (watch.Elapsed - indexed).TotalSeconds);
        // Every search looks its terms up segment by segment, so the flushed segments are merged into one; in the
        // background, so that searches and writes go on meanwhile (a little slower) instead of waiting for it.
        index.MergeInBackground();
        _merged = SettleMergeAsync(watch);
        return done;
    }

    /// <summary>
    /// One reader feeds an indexer per core (reading the store and analysing text both cost CPU), each on a thread of
    /// its own, so that a rebuild in a running catalog does not hold the thread pool that serves its requests. The
    /// first failure stops the others and is the one thrown: a reader left feeding indexers that had all failed (a
    /// full disk, datasets Lucene cannot take) waited forever, holding the follower's lock. <paramref name="allRead"/>
    /// is told when the reader has queued the last page.
    /// </summary>
    /// <returns>The number of datasets indexed.</returns>
    private async Task<int> ReadAndIndexAsync(PackageBulkReader reader, PackageDictizer dictizer, int total, Action allRead,
        IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var pages = new BlockingCollection<IReadOnlyList<(Package Package, List<Group> Groups)>>(boundedCapacity: 2);
        var done = 0;
        Task Dedicated(Action work) => Task.Factory.StartNew(() =>
        {
            try
            {
                work();
            }
            catch
            {
                stop.Cancel();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var workers = new List<Task>
        {
            Dedicated(() =>
            {
                try
                {
                    string? after = null;
                    while (reader.Page(after, BatchSize, stop.Token) is { Count: > 0 } page)
                    {
                        pages.Add(page, stop.Token);
                        after = page[^1].Package.Id;
                    }
                    allRead();
                }
                finally
                {
                    pages.CompleteAdding();
                }
            }),
        };
        for (var i = 0; i < Math.Max(1, Environment.ProcessorCount); i++)
            workers.Add(Dedicated(() =>
            {
                foreach (var page in pages.GetConsumingEnumerable(stop.Token))
                {
                    foreach (var (p, groups) in page) index.Add(dictizer.Dictize(p, groups));
                    var doneNow = Interlocked.Add(ref done, page.Count);
                    progress?.Report((doneNow, total));
                }
            }));
        try
        {
            await Task.WhenAll(workers);
        }
        catch
        {
            // The failure itself rather than the cancellations it caused in the other workers.
            var first = workers.Where(w => w.IsFaulted).SelectMany(w => w.Exception!.InnerExceptions)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (first is not null) ExceptionDispatchInfo.Throw(first);
            throw;
        }
        return done;
    }

    /// <summary>Completes when the merge started by the last rebuild is durable and searchable.</summary>
    public Task MergedAsync() => _merged;

    private async Task SettleMergeAsync(Stopwatch sinceRebuild)
    {
        try
        {
            await Task.Run(index.WaitForMerges);
            await _gate.WaitAsync();
            try
            {
                // Nothing new to record: the commit only makes the merged segment the durable, searchable one.
                index.Commit(index.AppliedSeq);
            }
            finally
            {
                _gate.Release();
            }
            logger?.LogInformation("Merged the rebuilt search index into {Segments} segment(s), {Seconds:F1} s after the rebuild started",
                index.SegmentCount, sinceRebuild.Elapsed.TotalSeconds);
        }
        // The index was disposed meanwhile (the process is stopping): its last commit stands, merged or not.
        catch (ObjectDisposedException e)
        {
            logger?.LogDebug(e, "The background merge of the search index was abandoned");
        }
        catch (Exception e)
        {
            logger?.LogWarning(e, "The background merge of the search index failed; the index stays as last committed");
        }
    }

    private static async Task<long> LastSeqAsync(CatalogDbContext db, CancellationToken ct) =>
        await db.Activities.MaxAsync(a => (long?)a.Seq, ct) ?? 0;
}
