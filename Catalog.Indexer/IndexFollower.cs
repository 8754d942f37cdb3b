using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Catalog.Core.Dictize;
using Catalog.Core.Domain;
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
/// A catch-up runs to its end even when the write's caller goes away (the write is committed; the index must follow
/// it). One that fails is logged and tried again in the background, waiting longer after each failure
/// (<see cref="IndexFollowerOptions"/>), and how far the index is behind is reported (<see cref="Status"/>, in
/// status_show) until it has caught up.
/// </summary>
public sealed class IndexFollower(SearchIndex index, IServiceScopeFactory scopes, GroupTitles? titles = null, ILogger<IndexFollower>? logger = null,
    IndexFollowerOptions? options = null) : ICommitListener, IDisposable
{
    private const int BatchSize = 500;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IndexFollowerOptions _options = options ?? new IndexFollowerOptions();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _state = new();
    private bool _checkedAgainstStore;
    private Task _merged = Task.CompletedTask;
    private long _storeSeq;
    private string? _lastError;
    private int _failures;
    private Task? _retrying;
    private long _reindexed;
    private Task? _committing;
    private Task? _paced;
    /// <summary>When the last catch-up that found changes read them (a <see cref="Stopwatch"/> timestamp).</summary>
    private long _lastCatchUp;
    private long _catchUps;

    public SearchIndex Index => index;

    /// <summary>Datasets re-read from the store and written to the index by catch-ups since start (not rebuilds).</summary>
    public long Reindexed => Interlocked.Read(ref _reindexed);

    /// <summary>Batches of changes applied and published since start: each a flushed segment and a reopened searcher.</summary>
    public long CatchUps => Interlocked.Read(ref _catchUps);

    /// <summary>
    /// Catches up before the write returns, so the writer reads its write. Not with the request's token: a caller
    /// that goes away only stops waiting, the catch-up goes on. While failed catch-ups are being retried, a write does
    /// not wait for one more that would fail the same way: the retries take its change along.
    /// </summary>
    public async Task CommittedAsync(CancellationToken ct)
    {
        if (Retrying) return;
        await NextCatchUp().WaitAsync(ct);
    }

    /// <summary>
    /// The catch-up a write waits for. While searches keep the machine busy, catch-ups start at most once per
    /// <see cref="IndexFollowerOptions.PublishInterval"/>: each one flushes a segment, reopens the searcher and leaves
    /// merges behind, CPU the searches would have had, so a write arriving sooner waits for the next one and shares it
    /// with the writes arriving meanwhile. With CPU to spare a catch-up costs the searches little, and a write is
    /// applied at once (a script writing one dataset after another, a page saving a form, a quiet hour).
    /// </summary>
    private Task NextCatchUp()
    {
        lock (_state)
        {
            // Not begun yet: it reads the feed after this write's commit, so it applies this write too.
            if (_paced is { } pending) return pending;
            var wait = _options.PublishInterval - Stopwatch.GetElapsedTime(Volatile.Read(ref _lastCatchUp));
            if (wait <= TimeSpan.Zero || index.Load.Cores < _options.BusySearchCores) return CatchUpOrRetryAsync();
            return _paced = PacedCatchUpAsync(wait);
        }
    }

    private async Task PacedCatchUpAsync(TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the writes are committed, and the next start catches the index up with them.
            return;
        }
        lock (_state) _paced = null;
        await CatchUpOrRetryAsync();
    }

    /// <summary>
    /// The catch-up (or rebuild) at start. A failure does not stop the process: the store answers everything but
    /// searches, which lag behind, reported, until a retry succeeds.
    /// </summary>
    public Task StartAsync(CancellationToken ct) => CatchUpOrRetryAsync().WaitAsync(ct);

    /// <summary>How far the index is behind the store, and why, as the follower last saw them.</summary>
    public IndexStatus Status
    {
        get
        {
            lock (_state)
            {
                var applied = index.AppliedSeq;
                var store = Math.Max(_storeSeq, applied);
                return new IndexStatus(applied, store, store - Math.Max(applied, 0), _lastError);
            }
        }
    }

    private bool Retrying
    {
        get { lock (_state) return _retrying is not null; }
    }

    public async Task CatchUpAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var last = await LastSeqAsync(db, ct);
            lock (_state) _storeSeq = Math.Max(_storeSeq, last);
            if (!_checkedAgainstStore)
            {
                // An index ahead of the feed was built from another store (a replaced database): start over.
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
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Whatever the failed batch left in the writer goes (it is applied again), and a writer closed by the
            // failure is opened again; under the gate, so that no other catch-up is writing meanwhile. That takes
            // the changes only published since the last commit too (until the retry applies them again), so a
            // catch-up that failed before changing the writer (reading the store) leaves it as it is.
            try
            {
                if (index.HasUnpublished) index.Rollback();
            }
            catch (Exception rollback)
            {
                logger?.LogError(rollback, "Rolling back the search index after a failed catch-up failed too");
            }
            throw;
        }
        finally
        {
            _gate.Release();
        }
        int failures;
        lock (_state) (failures, _failures, _lastError) = (_failures, 0, null);
        if (failures > 0)
            logger?.LogInformation("The search index caught up with the store at change {Seq} after {Failures} failed attempt(s)", index.AppliedSeq, failures);
    }

    /// <summary>One catch-up; a failure is recorded and handed to the background retries, not thrown at the write.</summary>
    private async Task CatchUpOrRetryAsync()
    {
        try
        {
            await CatchUpAsync(_stopping.Token);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            Failed(e);
            lock (_state) _retrying ??= Task.Run(RetryAsync);
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // Stopping: the index stays at its last commit, and the next start catches up from there.
        }
    }

    /// <summary>Tries again after a growing delay until a catch-up succeeds or the process stops.</summary>
    private async Task RetryAsync()
    {
        var delay = _options.RetryDelay;
        while (true)
        {
            try
            {
                await Task.Delay(delay, _stopping.Token);
                await CatchUpAsync(_stopping.Token);
                break;
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                Failed(e);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                lock (_state) _retrying = null;
                return;
            }
        }
        lock (_state) _retrying = null;
        // Writes committed during the last attempt left their change to it, and it may have read the feed before them.
        await CatchUpOrRetryAsync();
    }

    private void Failed(Exception e)
    {
        int failures;
        lock (_state)
        {
            failures = ++_failures;
            _lastError = $"{e.GetType().Name}: {e.Message}";
        }
        logger?.LogError(e, "The search index could not catch up with the store (at change {Applied}, store at {Store}; failure {Failures}); retrying",
            index.AppliedSeq, Status.StoreSeq, failures);
    }

    /// <summary>Stops the retries (the process is stopping), and lets a catch-up under way finish its rollback first.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        // Bounded: a stuck batch must not hold up the shutdown; the index closes at its last commit either way.
        if (_gate.Wait(TimeSpan.FromSeconds(10))) _gate.Release();
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
                // Snapshots only of organizations and groups, to tell which of their changes touch their datasets.
                .Select(a => new { a.Seq, a.ObjectType, a.ObjectId, Data = a.ObjectType == "package" ? null : a.Data })
                .ToListAsync(ct);
            if (changes.Count == 0) return;
            Volatile.Write(ref _lastCatchUp, Stopwatch.GetTimestamp());
            _options.BeforeBatch?.Invoke(from, changes[^1].Seq);

            var packageIds = new HashSet<string>(StringComparer.Ordinal);
            var groupChanges = new EmbeddedGroupChanges(db, index);
            foreach (var change in changes)
            {
                switch (change.ObjectType)
                {
                    case "package":
                        packageIds.Add(change.ObjectId);
                        break;
                    case "organization" or "group":
                        if (!await groupChanges.ChangedAsync(change.Seq, change.ObjectType, change.ObjectId, change.Data, ct)) break;
                        // Datasets embed their organization and groups (names, titles): re-read every one naming it,
                        // in the store now or in the index still.
                        packageIds.UnionWith(await DatasetsOfGroupAsync(db, change.ObjectId, ct));
                        titles?.Forget();
                        break;
                }
            }
            await ReindexAsync(db, dictizer, packageIds, ct);
            Interlocked.Add(ref _reindexed, packageIds.Count);
            // Searchable now (the writer reads its write); durable within the commit interval (CommitLater).
            index.Publish(changes[^1].Seq);
            Interlocked.Increment(ref _catchUps);
            CommitLater();
            if (changes.Count < BatchSize) return;
        }
    }

    /// <summary>
    /// Makes what catch-ups published durable once per <see cref="IndexFollowerOptions.CommitInterval"/>, off the
    /// write's path: a commit fsyncs every new file, and under a steady stream of writes one per catch-up cost each
    /// write that much and the searches beside it the disk. Until then a crash loses only index work: the restart
    /// resumes from the last commit and applies the feed again.
    /// </summary>
    private void CommitLater()
    {
        lock (_state)
        {
            if (_committing is not null) return;
            _committing = Task.Run(CommitDueAsync);
        }
    }

    private async Task CommitDueAsync()
    {
        try
        {
            await Task.Delay(_options.CommitInterval, _stopping.Token);
            await _gate.WaitAsync(_stopping.Token);
            try
            {
                // Cleared under the gate: a publish after this commit schedules the next one.
                lock (_state) _committing = null;
                if (index.HasUncommitted) index.Commit(index.AppliedSeq);
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: the index's writer commits what is published when it is disposed.
        }
        catch (Exception e)
        {
            lock (_state) _committing = null;
            // Nothing is lost: the published changes are searchable, and the next catch-up schedules another commit.
            logger?.LogWarning(e, "Committing the search index at change {Applied} failed", index.AppliedSeq);
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
        // A failed rebuild rolls back to the last commit: that must be what searches see now, not an older state.
        if (index.HasUncommitted) index.Commit(index.AppliedSeq);
        index.DeleteAll();
        using var bulk = index.Bulk();
        try
        {
            var reader = await PackageBulkReader.OpenAsync(db, ct);
            done = await ReadAndIndexAsync(reader, dictizer, total, progress, ct);
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
    /// full disk, datasets Lucene cannot take) waited forever, holding the follower's lock.
    /// </summary>
    /// <returns>The number of datasets indexed.</returns>
    private async Task<int> ReadAndIndexAsync(PackageBulkReader reader, PackageDictizer dictizer, int total,
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
            // With the stopping token: a disposal aborts the merge, and what follows must not touch the closing index.
            await _gate.WaitAsync(_stopping.Token);
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
        catch (Exception e) when (e is ObjectDisposedException || _stopping.IsCancellationRequested)
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

/// <summary>
/// How far the search index is behind the store: the last change applied, the last change in the store the follower
/// has seen, the difference, and why the last catch-up failed (null once one succeeds).
/// </summary>
public sealed record IndexStatus(long AppliedSeq, long StoreSeq, long Lag, string? LastError);

/// <summary>How the follower retries a failed catch-up.</summary>
public sealed class IndexFollowerOptions
{
    /// <summary>The wait before the first retry; doubled after each failure, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Long enough that a failure that does not go away (and may cost a whole rebuild each time) is not hammered.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Told before each batch of changes is applied, with the sequence the index is at and the last one of the batch;
    /// what it throws fails the batch. A seam for tests to make batches fail.
    /// </summary>
    public Action<long, long>? BeforeBatch { get; init; }

    /// <summary>
    /// How long changes may be searchable before they are durable: catch-ups within it share one commit (and fsync).
    /// Zero commits right after each catch-up.
    /// </summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// While searches keep the machine busy (<see cref="BusySearchCores"/>), the least time between two catch-ups for
    /// waiting writes: a write arriving sooner waits for the next one (at most this long) and shares it. Zero applies
    /// every write at once.
    /// </summary>
    public TimeSpan PublishInterval { get; init; } = DefaultPublishInterval;

    /// <summary>
    /// Two catch-ups a second at most under load: at 20 writes a second beside a full load of searches, the writes cost
    /// the searches 28 to 33 % of their throughput unpaced, 17 to 21 % paced at 250 ms and 10 to 16 % at 500 ms, while
    /// a write then takes about 0.3 s (BENCHMARKS.md, "Write-heavy: catch-ups paced under load").
    /// </summary>
    public static readonly TimeSpan DefaultPublishInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The search load (<see cref="SearchLoad.Cores"/>) from which catch-ups are paced: a quarter of the cores
    /// kept busy by searches in the index, which with the HTTP work around them is most of the machine.
    /// </summary>
    public double BusySearchCores { get; init; } = Environment.ProcessorCount / 4.0;
}
