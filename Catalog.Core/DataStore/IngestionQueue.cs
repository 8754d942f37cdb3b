using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Catalog.Core.Actions;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Files;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Catalog.Core.DataStore;

/// <summary>
/// Loads uploaded tabular files (CSV, TSV, XLSX/XLS, HTML tables) into the row store in the background, one at a time (CKAN's xloader). Each
/// resource has a status record (queued, running, complete, error with the reason) that datastore_info shows. A run
/// reads the resource as it is when the run starts, so a stale or repeated request does no harm; at start, uploads
/// whose file was never loaded are queued again. When several nodes share the rows (<see cref="IRowStore.Shared"/>),
/// a run first claims the load (a lease in the store, renewed while it runs), so one node loads a resource at a
/// time, and every node looks for loads left undone every <see cref="DataStoreOptions.CatchUpInterval"/>: an
/// upload made on another node, or a load whose node died (its lease ran out), is taken over.
/// </summary>
public sealed class IngestionQueue(IServiceScopeFactory scopes, IRowStore store, TimeProvider clock, ILogger<IngestionQueue> logger,
    Microsoft.Extensions.Options.IOptions<DataStoreOptions> options)
    : BackgroundService, IUploadListener, IResourceRemovedListener
{
    /// <summary>Who holds a lease: this queue, one per node (a process may host several in tests).</summary>
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}"[..^20];

    public const string Queued = "pending", Running = "running", Complete = "complete", Failed = "error";

    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Resources waiting for a run on this node, with when they were queued: job_list's "datastore" queue.</summary>
    private readonly ConcurrentDictionary<string, DateTime> _pending = new();

    /// <summary>Holders of <see cref="Defer"/>; loads wait while any is held, and the gate opens when the last ends.</summary>
    private int _deferrals;
    private TaskCompletionSource _open = Opened();

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    /// <summary>
    /// Holds the loads back until the returned handle is disposed: a harvest job writes datasets in a burst, and loading
    /// their files meanwhile would take the same cores and the catalog's one write lock (each load ends with
    /// datastore_create) from it. Loads queued meanwhile stay queued (job_list shows them) and run when the last
    /// holder is done, or <see cref="DataStoreOptions.MaxLoadDeferral"/> after they were queued if that comes first.
    /// </summary>
    public IDisposable Defer()
    {
        lock (_queue)
        {
            if (_deferrals++ == 0) _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return new Deferral(this);
    }

    private void Resume()
    {
        lock (_queue)
        {
            if (--_deferrals == 0) _open.TrySetResult();
        }
    }

    private sealed class Deferral(IngestionQueue queue) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) queue.Resume();
        }
    }

    /// <summary>Waits while loads are deferred, but not past <see cref="DataStoreOptions.MaxLoadDeferral"/> after the load was queued.</summary>
    private async Task WhileDeferred(string id, CancellationToken ct)
    {
        Task open;
        lock (_queue) open = _open.Task;
        if (open.IsCompleted) return;
        var queued = _pending.TryGetValue(id, out var at) ? at : clock.GetUtcNow().UtcDateTime;
        var left = queued + options.Value.MaxLoadDeferral - clock.GetUtcNow().UtcDateTime;
        if (left <= TimeSpan.Zero) return;
        try { await open.WaitAsync(left, clock, ct); }
        catch (TimeoutException) { }
    }

    public void Uploaded(string resourceId)
    {
        _pending.TryAdd(resourceId, clock.GetUtcNow().UtcDateTime);
        _queue.Writer.TryWrite(resourceId);
    }

    /// <summary>The queued resources, oldest first.</summary>
    public IReadOnlyList<(string ResourceId, DateTime Queued)> Pending =>
        _pending.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).ToList();

    /// <summary>Takes a queued resource off the queue (job_cancel): false when it is not waiting (running, done or unknown).</summary>
    public bool Cancel(string resourceId) => _pending.TryRemove(resourceId, out _);

    public async Task RemovedAsync(IReadOnlyList<string> resourceIds, CancellationToken ct)
    {
        foreach (var id in resourceIds)
        {
            // The removal has committed; rows left now are dropped at the next start (see CatchUpAsync).
            try { await store.ForgetAsync(id, ct); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "Dropping the rows of {Resource} failed", id); }
        }
    }

    /// <summary>Files the DataStore loads: CSV, TSV, XLSX/XLS workbooks and HTML pages with tables, by format or file name.</summary>
    public static TableFormat? FormatFor(Resource r) => TableSources.FormatOf(r.Format, r.Url);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await CatchUpAsync(stoppingToken); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "DataStore catch-up failed"); }
        var again = store.Shared ? CatchUpAgainAsync(stoppingToken) : Task.CompletedTask;
        await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try { await WhileDeferred(id, stoppingToken); }
            catch (OperationCanceledException) { return; }
            // Cancelled, or a repeat of a request already run: the run reads the resource as it is now anyway.
            if (!_pending.TryRemove(id, out _)) continue;
            try { await RunAsync(id, stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { logger.LogError(e, "DataStore ingestion of {Resource} failed", id); }
        }
        await again;
    }

    /// <summary>On shared rows: uploads made on other nodes, and loads whose node died, are picked up here.</summary>
    private async Task CatchUpAgainAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.CatchUpInterval, ct);
                await CatchUpAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) { logger.LogError(e, "DataStore catch-up failed"); }
        }
    }

    private async Task CatchUpAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var uploads = await db.Resources.AsNoTracking()
            .Where(r => r.State == ObjectState.Active && r.BlobSha256 != null)
            .Select(r => new { r.Id, r.BlobSha256 }).ToListAsync(ct);
        foreach (var u in uploads)
        {
            var status = await store.StatusAsync(u.Id, ct);
            // On shared rows a load still running may be a dead node's: the claim tells (its lease ran out or not).
            if (status?.Source != u.BlobSha256 || store.Shared && status is { State: Running or Queued }) Uploaded(u.Id);
        }
        // Rows whose resource was deleted or purged while this node was down.
        var stored = await store.ResourceIdsAsync(ct);
        var active = (await db.Resources.AsNoTracking().Where(r => r.State == ObjectState.Active && stored.Contains(r.Id))
            .Select(r => r.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var id in stored.Where(id => !active.Contains(id))) await store.ForgetAsync(id, ct);
    }

    /// <summary>
    /// Renews the lease at a third of its length while the load runs; a lease lost (this node stalled past it and
    /// another took over) stops the load here.
    /// </summary>
    private async Task RenewAsync(string resourceId, string source, TimeSpan lease, CancellationTokenSource held)
    {
        try
        {
            while (true)
            {
                await Task.Delay(lease / 3, held.Token);
                if (!await store.ClaimAsync(resourceId, source, _owner, lease, held.Token))
                {
                    logger.LogWarning("The lease on loading {Resource} was lost; another node loads it", resourceId);
                    await held.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { logger.LogError(e, "Renewing the lease on loading {Resource} failed", resourceId); }
    }

    private async Task RunAsync(string resourceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var r = await db.Resources.AsNoTracking().FirstOrDefaultAsync(x => x.Id == resourceId && x.State == ObjectState.Active, ct);
        if (r is null || !BlobStore.IsSha256(r.BlobSha256) || FormatFor(r) is not { } format || !Guid.TryParse(r.Id, out _)) return;
        var status = await store.StatusAsync(r.Id, ct);
        if (status is { State: Complete } && status.Source == r.BlobSha256) return;

        var lease = options.Value.IngestionLease;
        if (!await store.ClaimAsync(r.Id, r.BlobSha256!, _owner, lease, ct)) return;
        await store.SetStatusAsync(r.Id, Running, null, r.BlobSha256, ct);
        using var held = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewing = store.Shared ? RenewAsync(r.Id, r.BlobSha256!, lease, held) : Task.CompletedTask;
        try
        {
            var path = scope.ServiceProvider.GetRequiredService<BlobStore>().PathFor(r.Id, r.BlobSha256!);
            var (table, report) = await new TableIngestor(store).IngestAsync(r.Id, format, path, held.Token);
            logger.LogInformation("DataStore loaded {Rows} rows into {Resource} ({Source}, {Parts} parts, {SetAside} rows set aside)",
                table.RowCount, r.Id, report.Source, report.Parts.Count, report.SetAside.Count);
            await store.SetStatusAsync(r.Id, Complete, null, r.BlobSha256, ct);
        }
        catch (Exception e) when (e is IngestionException or CsvFormatException or IOException or System.Text.DecoderFallbackException
            or ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException)
        {
            await store.SetStatusAsync(r.Id, Failed, e.Message, r.BlobSha256, CancellationToken.None);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "DataStore ingestion of {Resource} failed", r.Id);
            await store.SetStatusAsync(r.Id, Failed, "The file could not be loaded.", r.BlobSha256, CancellationToken.None);
            return;
        }
        finally
        {
            await held.CancelAsync();
            await renewing;
        }
        // Deleted while it was loading: its rows go with it.
        if (!await db.Resources.AsNoTracking().AnyAsync(x => x.Id == r.Id && x.State == ObjectState.Active, ct))
        {
            await store.ForgetAsync(r.Id, ct);
            return;
        }
        if (!r.DatastoreActive)
        {
            var dispatcher = scope.ServiceProvider.GetRequiredService<ActionDispatcher>();
            var site = await SiteUser.EnsureAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
            await dispatcher.InvokeAsync("datastore_create", site, new JsonObject { ["resource_id"] = r.Id }, ct: ct);
        }
    }
}
