using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.DataStore;
using Catalog.Core.Dispatch;
using Catalog.Core.Jobs;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Catalog.Harvester.Fetching;
using Catalog.Harvester.Import;
using Catalog.Harvester.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catalog.Harvester.Jobs;

/// <summary>
/// Runs one harvest job: gather (crawl), then fetch and import each dataset page, then what to do with pages gone.
/// Every page gets a harvest object recording what became of it; the job's counts are its objects' statuses.
/// A job whose node died is resumed by another (<see cref="JobLease{TJob}"/>): it gathers again and imports what the
/// earlier attempts did not record (imports are idempotent: a page's dataset is identified by its URL).
/// </summary>
public sealed class HarvestRunner(
    IServiceScopeFactory scopes, ActionDispatcher actions, WebCrawler crawler, CatalogImporter importer,
    CkanSource ckan, RemoteDatasetImporter remoteImporter, IOptions<JobOptions> jobOptions, TimeProvider clock, ILogger<HarvestRunner> logger,
    IngestionQueue? ingestion = null)
{
    /// <summary>How jobs are taken, held and given up, shared with the job service.</summary>
    public JobLease<HarvestJob> Leases { get; } = new(scopes, jobOptions, clock, j => j.GatherStarted, "harvest job");

    /// <summary>
    /// Runs the job if it is New, or resumes it if its runner stopped renewing its lease; false when another runner
    /// (another node) holds it. With <paramref name="releaseOnStop"/>, a stop hands the job to the next node instead
    /// of finishing it.
    /// </summary>
    public async Task<bool> RunAsync(string jobId, Action<string>? progress = null, CancellationToken ct = default, bool releaseOnStop = false)
    {
        if (await Leases.ClaimAsync(jobId, ct) is not { } attempt) return false;
        // One line per run, so that operators (and the multi-node test) can tell which node ran a job, and that one did.
        logger.LogInformation("Harvest job {Job} claimed by this node (attempt {Attempt})", jobId, attempt);
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var leaseHeld = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = Leases.RenewWhileHeldAsync(jobId, attempt, lost, logger, leaseHeld.Token);
        // The DataStore loads the harvested files once the job is done, not beside it (see IngestionQueue.Defer).
        using var loadsAfter = ingestion?.Defer();
        try
        {
            await RunHeldAsync(jobId, attempt, progress, lost.Token, stopping: ct, releaseOnStop);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Harvest job {Job} passed to another node while this one ran it (attempt {Attempt}); this run stops", jobId, attempt);
        }
        finally
        {
            await leaseHeld.CancelAsync();
            await renewal;
        }
        return true;
    }

    private async Task RunHeldAsync(string jobId, int attempt, Action<string>? progress, CancellationToken ct, CancellationToken stopping, bool releaseOnStop)
    {
        var (job, source) = await scopes.WithDbAsync(async db =>
        {
            var j = await db.HarvestJobs.FirstAsync(x => x.Id == jobId, ct);
            var s = await db.HarvestSources.FirstAsync(x => x.Id == j.SourceId, ct);
            return (j, s);
        });
        var caller = await scopes.WithDbAsync(db => SiteUser.EnsureAsync(db, clock, ct));
        var config = HarvestConfig.Parse(source.Config);
        var counts = new Dictionary<string, int>();
        var objects = new JobObjects(scopes);
        var recorded = attempt > 1 ? await EarlierAttemptsAsync(jobId, counts, ct) : [];
        if (attempt > 1) progress?.Invoke($"Resuming (attempt {attempt}): {recorded.Count} objects recorded by earlier attempts");
        string? gatherError = null;
        var stopped = false;
        try
        {
            if (source.SourceType == "ckan")
            {
                gatherError = await RunCkanAsync(job, source, config, caller, objects, counts, recorded, progress, ct);
                return;
            }
            progress?.Invoke($"Gathering {source.Url}");
            using var throttle = new HostThrottle(config.MaxConcurrency, config.RequestsPerSecond);
            CrawlResult crawl;
            try
            {
                crawl = await crawler.CrawlAsync(source.Id, new Uri(source.Url), config, throttle, progress, ct);
            }
            catch (FetchException e)
            {
                gatherError = e.Refused ? $"Source refused: {e.Message}" : $"The source could not be read: {e.Message}";
                return;
            }
            await scopes.WithDbAsync(async db =>
            {
                (await db.HarvestJobs.FirstAsync(x => x.Id == jobId, ct)).GatherFinished = Now();
                await db.SaveChangesAsync(ct);
                return 0;
            });
            progress?.Invoke($"Found {crawl.Pages.Count} dataset pages ({crawl.Failures.Count} pages unreadable)");

            foreach (var failure in crawl.Failures.Where(f => !f.Missing))
                await RecordAsync(objects, job, failure.Url.AbsoluteUri, new ImportOutcome("errored", null, null,
                    [new ObjectError("gather", failure.Message, failure.Url.AbsoluteUri)]), Guid.NewGuid().ToString(), counts, ct);

            // Pages are imported several at once: each is its own dataset (identity is the page URL, and the crawl
            // found each URL once), so they do not collide; waits on the network and the store overlap.
            var done = 0;
            var aborted = false;
            var watch = new AbortWatch(token => AbortedAsync(jobId, token));
            await Parallel.ForEachAsync(crawl.Pages, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, config.MaxConcurrency), CancellationToken = ct },
                async (page, token) =>
                {
                    if (recorded.Contains(page.Url.AbsoluteUri)) return;
                    if (Volatile.Read(ref aborted) || (await watch.AbortedAsync(token) && (aborted = true))) return;
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
                    await RecordAsync(objects, job, page.Url.AbsoluteUri, outcome, objectId, counts, token);
                    Report(progress, $"[{Interlocked.Increment(ref done)}/{crawl.Pages.Count}] {outcome.Status}: {page.Title} ({page.Url})");
                });
            if (aborted) { progress?.Invoke("Aborted"); return; }

            if (config.DeleteMissing != "keep")
                await RemoveMissingAsync(job, source, config, caller, objects, crawl.Pages.Select(p => p.Url.AbsoluteUri).ToHashSet(StringComparer.Ordinal),
                    crawl.Failures.Where(f => f.Missing).Select(f => f.Url.AbsoluteUri).ToHashSet(StringComparer.Ordinal), crawl.Complete,
                    counts, recorded, progress, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            stopped = true;
            gatherError = "The job was stopped before it finished";
            throw;
        }
        finally
        {
            if (stopped && !stopping.IsCancellationRequested)
            {
                // The lease passed to another attempt: the job is that runner's now, nothing of it is written here.
            }
            else if (stopped && releaseOnStop)
            {
                await objects.FlushAsync(CancellationToken.None);
                await Leases.ReleaseAsync(jobId, attempt);
                progress?.Invoke("Stopped; the job is left for another node to resume");
            }
            else
            {
                try
                {
                    await objects.FlushAsync(CancellationToken.None);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The job still ends with its counts: only the last objects' reports are lost.
                    logger.LogError(e, "Could not record the last objects of harvest job {Job}", jobId);
                }
                await FinishAsync(jobId, attempt, counts, gatherError);
                progress?.Invoke(gatherError ?? "Finished");
            }
        }
    }

    /// <summary>
    /// On a resumed job: the objects earlier attempts recorded are kept and counted, except errors, which are tried
    /// again; returns the guids (page URLs, remote ids) not to import again.
    /// </summary>
    private async Task<HashSet<string>> EarlierAttemptsAsync(string jobId, Dictionary<string, int> counts, CancellationToken ct) =>
        await scopes.WithDbAsync(async db =>
        {
            await db.HarvestObjects.Where(o => o.JobId == jobId && o.ReportStatus == "errored").ExecuteDeleteAsync(ct);
            var kept = await db.HarvestObjects.Where(o => o.JobId == jobId).Select(o => new { o.Guid, o.ReportStatus }).ToListAsync(ct);
            foreach (var o in kept) counts[o.ReportStatus ?? ""] = counts.GetValueOrDefault(o.ReportStatus ?? "") + 1;
            return kept.Select(o => o.Guid).ToHashSet(StringComparer.Ordinal);
        });


    /// <summary>
    /// A <c>ckan</c> source: gather the remote's datasets (only those modified since the last clean run, once there
    /// was one), import each, and after a complete listing remove what the remote no longer has. Returns the job's
    /// gather error, if any.
    /// </summary>
    private async Task<string?> RunCkanAsync(HarvestJob job, HarvestSource source, HarvestConfig config, Caller caller, JobObjects objects,
        Dictionary<string, int> counts, IReadOnlySet<string> recorded, Action<string>? progress, CancellationToken ct)
    {
        var since = await scopes.WithDbAsync(db => db.HarvestJobs
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
        await scopes.WithDbAsync(async db =>
        {
            (await db.HarvestJobs.FirstAsync(x => x.Id == job.Id, ct)).GatherFinished = Now();
            await db.SaveChangesAsync(ct);
            return 0;
        });
        // Remote datasets are imported several at once, as pages are: each is its own dataset (identity is the remote
        // id), departments and groups are created under the importer's lock, and counts under their own.
        var done = 0;
        var aborted = false;
        var watch = new AbortWatch(token => AbortedAsync(job.Id, token));
        await Parallel.ForEachAsync(gathered.Datasets, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, config.MaxConcurrency), CancellationToken = ct },
            async (remote, token) =>
            {
                var guid = remote["id"]!.GetValue<string>();
                if (recorded.Contains(guid)) return;
                if (Volatile.Read(ref aborted) || (await watch.AbortedAsync(token) && (aborted = true))) return;
                var objectId = Guid.NewGuid().ToString();
                ImportOutcome outcome;
                try
                {
                    outcome = await remoteImporter.ImportAsync(source, config, caller, baseUrl, remote, objectId, token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Harvesting remote dataset {Id} failed", guid);
                    outcome = new ImportOutcome("errored", null, null, [new ObjectError("import", e.Message, CkanSource.DatasetUrl(baseUrl, remote))]);
                }
                await RecordAsync(objects, job, guid, outcome, objectId, counts, token);
                Report(progress, $"[{Interlocked.Increment(ref done)}/{gathered.Datasets.Count}] {outcome.Status}: {remote["name"]}");
            });
        if (aborted) { progress?.Invoke("Aborted"); return null; }
        if (config.DeleteMissing != "keep" && gathered.Complete)
            await RemoveMissingAsync(job, source, config, caller, objects, gathered.Datasets.Select(d => d["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
                new HashSet<string>(), complete: true, counts, recorded, progress, ct);
        return null;
    }

    /// <summary>Datasets of earlier runs whose object (page or remote dataset) a complete gather no longer finds, or that is known gone.</summary>
    private async Task RemoveMissingAsync(HarvestJob job, HarvestSource source, HarvestConfig config, Caller caller, JobObjects objects,
        IReadOnlySet<string> found, IReadOnlySet<string> gone, bool complete,
        Dictionary<string, int> counts, IReadOnlySet<string> recorded, Action<string>? progress, CancellationToken ct)
    {
        var previous = (await scopes.WithDbAsync(db => db.HarvestObjects
                .Where(o => o.SourceId == source.Id && o.PackageId != null && o.JobId != job.Id)
                .ToListAsync(ct)))
            .GroupBy(o => o.Guid)
            .Select(g => g.OrderByDescending(o => o.Created).First())
            .ToList();
        foreach (var last in previous)
        {
            if (last.ReportStatus is "deleted" || found.Contains(last.Guid) || recorded.Contains(last.Guid)) continue;
            // An incomplete crawl proves nothing about pages it did not reach.
            if (!complete && !gone.Contains(last.Guid)) continue;
            var active = await scopes.WithDbAsync(db => db.Packages.AnyAsync(p => p.Id == last.PackageId && p.State == ObjectState.Active, ct));
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
            await RecordAsync(objects, job, last.Guid, outcome, objectId, counts, ct);
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

    private async Task RecordAsync(JobObjects objects, HarvestJob job, string guid, ImportOutcome outcome, string objectId, Dictionary<string, int> counts, CancellationToken ct)
    {
        lock (counts) counts[outcome.Status] = counts.GetValueOrDefault(outcome.Status) + 1;
        await objects.AddAsync(new HarvestObject
        {
            Id = objectId, JobId = job.Id, SourceId = job.SourceId, Guid = guid, PackageId = outcome.PackageId,
            State = outcome.Status == "errored" ? "ERROR" : "COMPLETE", ReportStatus = outcome.Status,
            ContentHash = outcome.Fingerprint,
            Errors = outcome.Errors.Count == 0 ? null : new JsonArray(outcome.Errors.Select(e => (JsonNode?)e.ToJson()).ToArray()).ToJsonString(),
            Created = Now(),
        }, ct);
    }

    private async Task<bool> AbortedAsync(string jobId, CancellationToken ct) =>
        await scopes.WithDbAsync(db => db.HarvestJobs.Where(j => j.Id == jobId).Select(j => j.Status).FirstAsync(ct)) == HarvestJobStatus.Aborted;

    /// <summary>
    /// Whether the job was aborted, asked of the store at most once a second (not once per page: a re-run of
    /// unchanged pages would spend a good part of its time asking); an abort is seen within a second.
    /// </summary>
    private sealed class AbortWatch(Func<CancellationToken, Task<bool>> ask)
    {
        private long _next;
        private volatile bool _aborted;

        public async Task<bool> AbortedAsync(CancellationToken ct)
        {
            if (_aborted) return true;
            var now = Environment.TickCount64;
            var due = Interlocked.Read(ref _next);
            if (now < due || Interlocked.CompareExchange(ref _next, now + 1000, due) != due) return false;
            return _aborted = await ask(ct);
        }
    }

    /// <summary>
    /// Written even when the job's caller has gone away: a job is never left Running by its runner. Not written when
    /// the job has passed to another attempt.
    /// </summary>
    private async Task FinishAsync(string jobId, int attempt, Dictionary<string, int> counts, string? gatherError)
    {
        await scopes.WithDbAsync(async db =>
        {
            var j = await db.HarvestJobs.FirstAsync(x => x.Id == jobId);
            if (j.Attempts != attempt) return 0;
            if (j.Status != HarvestJobStatus.Aborted) j.Status = HarvestJobStatus.Finished;
            j.LeaseUntil = null;
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

    private DateTime Now() => Core.Timestamps.Truncate(clock.GetUtcNow().UtcDateTime);
}
