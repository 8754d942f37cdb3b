using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Catalog.Harvester.Fetching;
using Catalog.Harvester.Import;
using Catalog.Harvester.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Harvester.Jobs;

/// <summary>
/// Runs one harvest job: gather (crawl), then fetch and import each dataset page, then what to do with pages gone.
/// Every page gets a harvest object recording what became of it; the job's counts are its objects' statuses.
/// </summary>
public sealed class HarvestRunner(
    IServiceScopeFactory scopes, ActionDispatcher actions, WebCrawler crawler, CatalogImporter importer,
    CkanSource ckan, RemoteDatasetImporter remoteImporter, TimeProvider clock, ILogger<HarvestRunner> logger)
{
    /// <summary>Runs the job if it is still New; false when another runner (another node) claimed it first.</summary>
    public async Task<bool> RunAsync(string jobId, Action<string>? progress = null, CancellationToken ct = default)
    {
        if (!await ClaimAsync(jobId, ct)) return false;
        // One line per run, so that operators (and the multi-node test) can tell which node ran a job, and that one did.
        logger.LogInformation("Harvest job {Job} claimed by this node", jobId);
        using var leaseHeld = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = RenewLeaseAsync(jobId, leaseHeld.Token);
        var (job, source) = await WithDb(async db =>
        {
            var j = await db.HarvestJobs.FirstAsync(x => x.Id == jobId, ct);
            var s = await db.HarvestSources.FirstAsync(x => x.Id == j.SourceId, ct);
            return (j, s);
        });
        var caller = await WithDb(db => SiteUser.EnsureAsync(db, clock, ct));
        var config = HarvestConfig.Parse(source.Config);
        var counts = new Dictionary<string, int>();
        string? gatherError = null;
        try
        {
            if (source.SourceType == "ckan")
            {
                gatherError = await RunCkanAsync(job, source, config, caller, counts, progress, ct);
                return true;
            }
            progress?.Invoke($"Gathering {source.Url}");
            using var throttle = new HostThrottle(config.MaxConcurrency, config.RequestsPerSecond);
            CrawlResult crawl;
            try
            {
                crawl = await crawler.CrawlAsync(new Uri(source.Url), config, throttle, progress, ct);
            }
            catch (FetchException e)
            {
                gatherError = e.Refused ? $"Source refused: {e.Message}" : $"The source could not be read: {e.Message}";
                return true;
            }
            await WithDb(async db =>
            {
                (await db.HarvestJobs.FirstAsync(x => x.Id == jobId, ct)).GatherFinished = Now();
                await db.SaveChangesAsync(ct);
                return 0;
            });
            progress?.Invoke($"Found {crawl.Pages.Count} dataset pages ({crawl.Failures.Count} pages unreadable)");

            foreach (var failure in crawl.Failures.Where(f => !f.Missing))
                await RecordAsync(job, failure.Url.AbsoluteUri, new ImportOutcome("errored", null, null,
                    [new ObjectError("gather", failure.Message, failure.Url.AbsoluteUri)]), Guid.NewGuid().ToString(), counts, ct);

            // Pages are imported several at once: each is its own dataset (identity is the page URL, and the crawl
            // found each URL once), so they do not collide; waits on the network and the store overlap.
            var done = 0;
            var aborted = false;
            await Parallel.ForEachAsync(crawl.Pages, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, config.MaxConcurrency), CancellationToken = ct },
                async (page, token) =>
                {
                    if (Volatile.Read(ref aborted) || (await AbortedAsync(jobId, token) && (aborted = true))) return;
                    var objectId = Guid.NewGuid().ToString();
                    ImportOutcome outcome;
                    try
                    {
                        outcome = await importer.ImportAsync(source, config, caller, page, objectId, throttle, token);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // One page must never end the job: anything unforeseen is that page's error.
                        logger.LogError(e, "Harvesting {Url} failed", page.Url);
                        outcome = new ImportOutcome("errored", null, null, [new ObjectError("import", e.Message, page.Url.AbsoluteUri)]);
                    }
                    await RecordAsync(job, page.Url.AbsoluteUri, outcome, objectId, counts, token);
                    Report(progress, $"[{Interlocked.Increment(ref done)}/{crawl.Pages.Count}] {outcome.Status}: {page.Title} ({page.Url})");
                });
            if (aborted) { progress?.Invoke("Aborted"); return true; }

            if (config.DeleteMissing != "keep")
                await RemoveMissingAsync(job, source, config, caller, crawl.Pages.Select(p => p.Url.AbsoluteUri).ToHashSet(StringComparer.Ordinal),
                    crawl.Failures.Where(f => f.Missing).Select(f => f.Url.AbsoluteUri).ToHashSet(StringComparer.Ordinal), crawl.Complete,
                    counts, progress, ct);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            gatherError = "The job was stopped before it finished";
            throw;
        }
        finally
        {
            await leaseHeld.CancelAsync();
            await renewal;
            await FinishAsync(jobId, counts, gatherError);
            progress?.Invoke(gatherError ?? "Finished");
        }
    }

    /// <summary>
    /// Takes a New job for this runner in one conditional update, so that of several nodes polling the same store
    /// exactly one runs it; the others see no row changed.
    /// </summary>
    private async Task<bool> ClaimAsync(string jobId, CancellationToken ct)
    {
        var started = Now();
        var until = started + Lease;
        return await WithDb(db => db.HarvestJobs.Where(j => j.Id == jobId && j.Status == HarvestJobStatus.New)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, HarvestJobStatus.Running)
                .SetProperty(j => j.GatherStarted, started).SetProperty(j => j.LeaseUntil, until), ct)) == 1;
    }

    /// <summary>How long a runner's hold on a job lasts unless renewed; it is renewed four times as often.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private async Task RenewLeaseAsync(string jobId, CancellationToken held)
    {
        try
        {
            using var timer = new PeriodicTimer(Lease / 4, clock);
            while (await timer.WaitForNextTickAsync(held))
            {
                var until = Now() + Lease;
                await WithDb(db => db.HarvestJobs.Where(j => j.Id == jobId && j.Status == HarvestJobStatus.Running)
                    .ExecuteUpdateAsync(u => u.SetProperty(j => j.LeaseUntil, until), held));
            }
        }
        catch (OperationCanceledException) when (held.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The job goes on; if the store stays unreachable, another node may take it for abandoned.
            logger.LogWarning(e, "Could not renew the lease of harvest job {Job}", jobId);
        }
    }

    /// <summary>
    /// A <c>ckan</c> source: gather the remote's datasets (only those modified since the last clean run, once there
    /// was one), import each, and after a complete listing remove what the remote no longer has. Returns the job's
    /// gather error, if any.
    /// </summary>
    private async Task<string?> RunCkanAsync(HarvestJob job, HarvestSource source, HarvestConfig config, Caller caller,
        Dictionary<string, int> counts, Action<string>? progress, CancellationToken ct)
    {
        var since = await WithDb(db => db.HarvestJobs
            .Where(j => j.SourceId == source.Id && j.Id != job.Id && j.Status == HarvestJobStatus.Finished && j.GatherError == null && j.Errored == 0)
            .OrderByDescending(j => j.GatherStarted).Select(j => j.GatherStarted).FirstOrDefaultAsync(ct));
        var baseUrl = new Uri(source.Url);
        progress?.Invoke(since is null ? $"Listing every dataset of {baseUrl}" : $"Listing datasets of {baseUrl} modified since {since:u}");
        CkanGather gathered;
        try
        {
            gathered = await ckan.GatherAsync(baseUrl, config, since, progress, ct);
        }
        catch (FetchException e)
        {
            return e.Refused ? $"Source refused: {e.Message}" : $"The source could not be read: {e.Message}";
        }
        await WithDb(async db =>
        {
            (await db.HarvestJobs.FirstAsync(x => x.Id == job.Id, ct)).GatherFinished = Now();
            await db.SaveChangesAsync(ct);
            return 0;
        });
        var done = 0;
        foreach (var remote in gathered.Datasets)
        {
            if (await AbortedAsync(job.Id, ct)) { progress?.Invoke("Aborted"); return null; }
            var objectId = Guid.NewGuid().ToString();
            var guid = remote["id"]!.GetValue<string>();
            ImportOutcome outcome;
            try
            {
                outcome = await remoteImporter.ImportAsync(source, config, caller, baseUrl, remote, objectId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Harvesting remote dataset {Id} failed", guid);
                outcome = new ImportOutcome("errored", null, null, [new ObjectError("import", e.Message, CkanSource.DatasetUrl(baseUrl, remote))]);
            }
            await RecordAsync(job, guid, outcome, objectId, counts, ct);
            progress?.Invoke($"[{++done}/{gathered.Datasets.Count}] {outcome.Status}: {remote["name"]}");
        }
        if (config.DeleteMissing != "keep" && gathered.Complete)
            await RemoveMissingAsync(job, source, config, caller, gathered.Datasets.Select(d => d["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
                new HashSet<string>(), complete: true, counts, progress, ct);
        return null;
    }

    /// <summary>Datasets of earlier runs whose object (page or remote dataset) a complete gather no longer finds, or that is known gone.</summary>
    private async Task RemoveMissingAsync(HarvestJob job, HarvestSource source, HarvestConfig config, Caller caller,
        IReadOnlySet<string> found, IReadOnlySet<string> gone, bool complete,
        Dictionary<string, int> counts, Action<string>? progress, CancellationToken ct)
    {
        var previous = (await WithDb(db => db.HarvestObjects
                .Where(o => o.SourceId == source.Id && o.PackageId != null && o.JobId != job.Id)
                .ToListAsync(ct)))
            .GroupBy(o => o.Guid)
            .Select(g => g.OrderByDescending(o => o.Created).First())
            .ToList();
        foreach (var last in previous)
        {
            if (last.ReportStatus is "deleted" || found.Contains(last.Guid)) continue;
            // An incomplete crawl proves nothing about pages it did not reach.
            if (!complete && !gone.Contains(last.Guid)) continue;
            var active = await WithDb(db => db.Packages.AnyAsync(p => p.Id == last.PackageId && p.State == ObjectState.Active, ct));
            if (!active) continue;
            var objectId = Guid.NewGuid().ToString();
            ImportOutcome outcome;
            try
            {
                if (config.DeleteMissing == "delete")
                {
                    await actions.InvokeAsync("package_delete", caller, new JsonObject { ["id"] = last.PackageId }, ct: ct);
                }
                else
                {
                    var shown = (JsonObject)(await actions.InvokeAsync("package_show", caller, new JsonObject { ["id"] = last.PackageId }, ct: ct))!;
                    var extras = (shown["extras"] as JsonArray ?? []).OfType<JsonObject>()
                        .Where(e => e["key"]?.GetValue<string>() != "harvest_missing")
                        .Select(e => (JsonNode?)new JsonObject { ["key"] = e["key"]!.GetValue<string>(), ["value"] = e["value"]?.GetValue<string>() })
                        .Append(new JsonObject { ["key"] = "harvest_missing", ["value"] = "true" }).ToArray();
                    await actions.InvokeAsync("package_patch", caller, new JsonObject { ["id"] = last.PackageId, ["extras"] = new JsonArray(extras) }, ct: ct);
                }
                outcome = new ImportOutcome("deleted", last.PackageId, null, []);
            }
            catch (ActionException e)
            {
                outcome = new ImportOutcome("errored", last.PackageId, null, [new ObjectError("delete", e.Message, last.Guid)]);
            }
            await RecordAsync(job, last.Guid, outcome, objectId, counts, ct);
            progress?.Invoke($"{(config.DeleteMissing == "delete" ? "deleted" : "flagged")}: {last.Guid}");
        }
    }

    /// <summary>Progress lines come from several imports at once; the listener (a console bar) sees one at a time.</summary>
    private void Report(Action<string>? progress, string line)
    {
        if (progress is null) return;
        lock (_progress) progress(line);
    }

    private readonly Lock _progress = new();

    private async Task RecordAsync(HarvestJob job, string guid, ImportOutcome outcome, string objectId, Dictionary<string, int> counts, CancellationToken ct)
    {
        lock (counts) counts[outcome.Status] = counts.GetValueOrDefault(outcome.Status) + 1;
        await WithDb(async db =>
        {
            db.HarvestObjects.Add(new HarvestObject
            {
                Id = objectId, JobId = job.Id, SourceId = job.SourceId, Guid = guid, PackageId = outcome.PackageId,
                State = outcome.Status == "errored" ? "ERROR" : "COMPLETE", ReportStatus = outcome.Status,
                ContentHash = outcome.Fingerprint,
                Errors = outcome.Errors.Count == 0 ? null : new JsonArray(outcome.Errors.Select(e => (JsonNode?)e.ToJson()).ToArray()).ToJsonString(),
                Created = Now(),
            });
            await db.SaveChangesAsync(ct);
            return 0;
        });
    }

    private async Task<bool> AbortedAsync(string jobId, CancellationToken ct) =>
        await WithDb(db => db.HarvestJobs.Where(j => j.Id == jobId).Select(j => j.Status).FirstAsync(ct)) == HarvestJobStatus.Aborted;

    /// <summary>Written even when the job's caller has gone away: a job is never left Running.</summary>
    private async Task FinishAsync(string jobId, Dictionary<string, int> counts, string? gatherError)
    {
        await WithDb(async db =>
        {
            var j = await db.HarvestJobs.FirstAsync(x => x.Id == jobId);
            if (j.Status != HarvestJobStatus.Aborted) j.Status = HarvestJobStatus.Finished;
            j.Finished = Now();
            j.GatherFinished ??= j.Finished;
            j.Added = counts.GetValueOrDefault("added");
            j.Updated = counts.GetValueOrDefault("updated");
            j.Unchanged = counts.GetValueOrDefault("unchanged");
            j.Deleted = counts.GetValueOrDefault("deleted");
            j.Errored = counts.GetValueOrDefault("errored");
            j.GatherError = gatherError;
            await db.SaveChangesAsync();
            return 0;
        });
    }

    /// <summary>
    /// Running jobs whose runner stopped renewing its lease (its process stopped or died, on this node or another)
    /// are finished with an error; jobs other live nodes are running keep going.
    /// </summary>
    public async Task<int> FailInterruptedAsync(CancellationToken ct)
    {
        var now = Now();
        return await WithDb(async db =>
        {
            var stale = await db.HarvestJobs
                .Where(j => j.Status == HarvestJobStatus.Running && (j.LeaseUntil == null || j.LeaseUntil < now)).ToListAsync(ct);
            foreach (var j in stale)
            {
                j.Status = HarvestJobStatus.Finished;
                j.Finished = Now();
                j.GatherFinished ??= j.Finished;
                j.GatherError = "Interrupted: the catalog stopped while this job ran";
            }
            await db.SaveChangesAsync(ct);
            return stale.Count;
        });
    }

    private DateTime Now() => Core.Timestamps.Truncate(clock.GetUtcNow().UtcDateTime);

    private async Task<T> WithDb<T>(Func<CatalogDbContext, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }
}
