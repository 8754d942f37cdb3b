using System.Text.Json.Nodes;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Jobs;
using Catalog.Core.Store;
using Catalog.Sync.Mapping;
using Catalog.Sync.Remote;
using Catalog.Sync.Targets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catalog.Sync.Jobs;

/// <summary>
/// Runs one sync job: every dataset changed in the change feed since the target's last finished run (and every
/// dataset the last runs failed on) is made to match remotely. What the remote should hold is what an anonymous
/// caller may read (Core's visibility rule, through package_show), so private and deleted datasets are removed.
/// </summary>
public sealed class SyncRunner(
    IServiceScopeFactory scopes, ActionDispatcher actions, SyncTargets targets, SyncRemotes remotes, BodikMapper mapper,
    IOptions<JobOptions> jobOptions, TimeProvider clock, ILogger<SyncRunner> logger)
{
    /// <summary>How jobs are taken, held and given up, shared with the job service.</summary>
    public JobLease<SyncJob> Leases { get; } = new(scopes, jobOptions, clock, j => j.Started, "sync job");

    /// <summary>
    /// Runs the job if it is New, or resumes it if its runner stopped renewing its lease; false when another runner
    /// (another node) holds it. With <paramref name="releaseOnStop"/>, a stop hands the job to the next node instead
    /// of finishing it.
    /// </summary>
    public async Task<bool> RunAsync(string jobId, IProgress<SyncProgress>? progress = null, CancellationToken ct = default, bool releaseOnStop = false)
    {
        if (await Leases.ClaimAsync(jobId, ct) is not { } attempt) return false;
        // One line per run, so that operators (and the multi-node test) can tell which node ran a job, and that one did.
        logger.LogInformation("Sync job {Job} claimed by this node (attempt {Attempt})", jobId, attempt);
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var leaseHeld = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = Leases.RenewWhileHeldAsync(jobId, attempt, lost, logger, leaseHeld.Token);
        try
        {
            await RunHeldAsync(jobId, attempt, progress, lost.Token, stopping: ct, releaseOnStop);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Sync job {Job} passed to another node while this one ran it (attempt {Attempt}); this run stops", jobId, attempt);
        }
        finally
        {
            await leaseHeld.CancelAsync();
            await renewal;
        }
        return true;
    }

    private async Task RunHeldAsync(string jobId, int attempt, IProgress<SyncProgress>? progress, CancellationToken ct,
        CancellationToken stopping, bool releaseOnStop)
    {
        var job = await scopes.WithDbAsync(db => db.SyncJobs.AsNoTracking().FirstAsync(j => j.Id == jobId, ct));
        var report = new JsonArray();
        var counts = new Counts();
        string? error = null;
        long toSeq = job.FromSeq;
        var stopped = false;
        try
        {
            var target = targets.Find(job.Target);
            if (target is null)
            {
                error = $"No sync target named {job.Target} is configured";
                return;
            }
            var fromSeq = await scopes.WithDbAsync(db => LastPositionAsync(db, target.Name, ct));
            toSeq = await scopes.WithDbAsync(async db => await db.Activities.MaxAsync(a => (long?)a.Seq, ct) ?? 0);
            var ids = await scopes.WithDbAsync(async db =>
            {
                var changed = await db.Activities.Where(a => a.ObjectType == "package" && a.Seq > fromSeq && a.Seq <= toSeq)
                    .Select(a => a.ObjectId).Distinct().ToListAsync(ct);
                var failed = await db.SyncDatasets.Where(d => d.Target == target.Name && d.Status == SyncDatasetStatus.Failed)
                    .Select(d => d.PackageId).ToListAsync(ct);
                return changed.Union(failed).Order(StringComparer.Ordinal).ToList();
            });
            await scopes.WithDbAsync(async db =>
            {
                await db.SyncJobs.Where(j => j.Id == jobId)
                    .ExecuteUpdateAsync(u => u.SetProperty(j => j.FromSeq, fromSeq).SetProperty(j => j.ToSeq, toSeq), ct);
                return 0;
            });
            var remote = remotes.For(target);
            for (var i = 0; i < ids.Count; i++)
            {
                var line = await SyncOneAsync(target, remote, ids[i], toSeq, job.DryRun, ct);
                counts.Add(line.Action);
                report.Add(line.ToJson());
                progress?.Report(new SyncProgress(i + 1, ids.Count, line.Action, line.RemoteName));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            stopped = true;
            error = "The job was stopped before it finished";
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Sync job {Job} failed", jobId);
            error = e.Message;
        }
        finally
        {
            // A lost lease writes nothing (the job is another attempt's); a stop of the node hands the job on.
            if (!stopped) await FinishAsync(jobId, attempt, counts, report, toSeq, error);
            else if (!stopping.IsCancellationRequested) { }
            else if (releaseOnStop) await Leases.ReleaseAsync(jobId, attempt);
            else await FinishAsync(jobId, attempt, counts, report, toSeq, error);
        }
    }

    /// <summary>Where the next run starts: the position the target's last finished, not dry, run reached.</summary>
    public static async Task<long> LastPositionAsync(CatalogDbContext db, string target, CancellationToken ct) =>
        await db.SyncJobs.Where(j => j.Target == target && j.Status == SyncJobStatus.Finished && !j.DryRun && j.Error == null)
            .MaxAsync(j => (long?)j.ToSeq, ct) ?? 0;

    private async Task<ReportLine> SyncOneAsync(SyncTarget target, RemoteCkan remote, string packageId, long seq, bool dryRun, CancellationToken ct)
    {
        var local = await PublicDatasetAsync(packageId, ct);
        var state = await scopes.WithDbAsync(db => db.SyncDatasets.AsNoTracking().FirstOrDefaultAsync(d => d.Target == target.Name && d.PackageId == packageId, ct));
        var wanted = local is not null && target.Includes(local);
        if (wanted)
        {
            var dict = mapper.Map(target, local!);
            var name = dict["name"]!.GetValue<string>();
            var hash = BodikMapper.Fingerprint(dict);
            if (state is { Status: SyncDatasetStatus.Present } && state.PushedHash == hash) return new(packageId, name, "unchanged");
            if (dryRun) return new(packageId, name, state?.RemoteId is null ? "create" : "update", Sent: dict);
            try
            {
                // A dataset renamed locally goes under its new name: the old remote one is removed first.
                if (state is { Status: not SyncDatasetStatus.Deleted } && state.RemoteName != name)
                    await remote.DeleteAsync(state.RemoteId ?? state.RemoteName, ct);
                var (result, created) = await remote.PushAsync(dict, ct);
                await SaveStateAsync(target, packageId, name, result["id"]?.GetValue<string>(), hash, seq, SyncDatasetStatus.Present, null, ct);
                return new(packageId, name, created ? "created" : "updated");
            }
            catch (RemoteCkanException e)
            {
                await SaveStateAsync(target, packageId, name, state?.RemoteId, null, state?.PushedSeq ?? 0, SyncDatasetStatus.Failed, e.Message, ct);
                return new(packageId, name, "failed", e.Message);
            }
        }
        if (state is null || state.Status == SyncDatasetStatus.Deleted) return new(packageId, state?.RemoteName, "unchanged");
        if (dryRun) return new(packageId, state.RemoteName, "delete");
        try
        {
            await remote.DeleteAsync(state.RemoteId ?? state.RemoteName, ct);
            await SaveStateAsync(target, packageId, state.RemoteName, state.RemoteId, null, seq, SyncDatasetStatus.Deleted, null, ct);
            return new(packageId, state.RemoteName, "deleted");
        }
        catch (RemoteCkanException e)
        {
            await SaveStateAsync(target, packageId, state.RemoteName, state.RemoteId, null, state.PushedSeq, SyncDatasetStatus.Failed, e.Message, ct);
            return new(packageId, state.RemoteName, "failed", e.Message);
        }
    }

    /// <summary>The dataset as anyone may read it, or null when nobody outside may (private, deleted, gone).</summary>
    private async Task<JsonObject?> PublicDatasetAsync(string packageId, CancellationToken ct)
    {
        try
        {
            return (await actions.InvokeAsync("package_show", Caller.Anonymous, new JsonObject { ["id"] = packageId }, ct: ct))?.AsObject();
        }
        catch (Exception e) when (e is NotFoundException or NotAuthorizedException)
        {
            return null;
        }
    }

    private Task SaveStateAsync(SyncTarget target, string packageId, string remoteName, string? remoteId, string? hash, long seq,
        string status, string? error, CancellationToken ct) => scopes.WithDbAsync(async db =>
    {
        var row = await db.SyncDatasets.FirstOrDefaultAsync(d => d.Target == target.Name && d.PackageId == packageId, ct);
        if (row is null)
        {
            row = new SyncDataset { Target = target.Name, PackageId = packageId, RemoteName = remoteName };
            db.SyncDatasets.Add(row);
        }
        row.RemoteName = remoteName;
        row.RemoteId = remoteId ?? row.RemoteId;
        row.PushedHash = hash;
        row.PushedSeq = seq;
        row.Status = status;
        row.LastError = error;
        row.Modified = Now();
        await db.SaveChangesAsync(ct);
        return 0;
    });


    /// <summary>Written only while the job is still this attempt's.</summary>
    private async Task FinishAsync(string jobId, int attempt, Counts counts, JsonArray report, long toSeq, string? error)
    {
        var finished = Now();
        var text = report.ToJsonString();
        await scopes.WithDbAsync(db => db.SyncJobs.Where(j => j.Id == jobId && j.Attempts == attempt).ExecuteUpdateAsync(u => u
            .SetProperty(j => j.Status, SyncJobStatus.Finished).SetProperty(j => j.Finished, finished)
            .SetProperty(j => j.LeaseUntil, (DateTime?)null).SetProperty(j => j.ToSeq, toSeq)
            .SetProperty(j => j.CreatedCount, counts.Created).SetProperty(j => j.Updated, counts.Updated)
            .SetProperty(j => j.Deleted, counts.Deleted).SetProperty(j => j.Unchanged, counts.Unchanged)
            .SetProperty(j => j.Failed, counts.Failed).SetProperty(j => j.Error, error).SetProperty(j => j.Report, text), CancellationToken.None));
    }

    private DateTime Now() => Timestamps.Truncate(clock.GetUtcNow().UtcDateTime);


    private sealed class Counts
    {
        public int Created, Updated, Deleted, Unchanged, Failed;

        public void Add(string action)
        {
            switch (action)
            {
                case "created" or "create": Created++; break;
                case "updated" or "update": Updated++; break;
                case "deleted" or "delete": Deleted++; break;
                case "failed": Failed++; break;
                default: Unchanged++; break;
            }
        }
    }

    private sealed record ReportLine(string Dataset, string? RemoteName, string Action, string? Error = null, JsonObject? Sent = null)
    {
        public JsonObject ToJson() => new()
        {
            ["dataset"] = Dataset, ["remote_name"] = RemoteName, ["action"] = Action, ["error"] = Error, ["sent"] = Sent,
        };
    }
}

/// <summary>One dataset done: its place in the run, what was done and the remote name.</summary>
public sealed record SyncProgress(int Done, int Total, string Action, string? RemoteName);
