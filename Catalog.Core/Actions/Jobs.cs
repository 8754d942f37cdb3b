using System.Globalization;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.DataStore;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// job_*: the catalog's own background work in CKAN's shapes (its rq jobs: id, title, created, queue). Three queues:
/// "harvest" (harvest jobs not yet started), "sync" (sync runs not yet started) and "datastore" (uploads waiting to
/// be loaded into the DataStore, on the node answering: that queue lives in memory). As in CKAN, only waiting jobs
/// are listed and cancelled; a running job is followed with harvest_job_show, sync_status or datastore_info.
/// </summary>
public static class Jobs
{
    public const string Harvest = "harvest", Sync = "sync", DataStore = "datastore";

    /// <summary>The queues in the order their jobs are listed.</summary>
    public static readonly string[] Queues = [Harvest, Sync, DataStore];

    /// <summary>CKAN's ckan.jobs.default_list_limit.</summary>
    public const int DefaultListLimit = 200;

    public static ActionRegistry AddJobActions(this ActionRegistry r) => r
        .Read("job_list", AuthRules.Sysadmin, List,
            "List the background jobs waiting to run, queue after queue (harvest, sync, datastore), oldest first. Sysadmins only.\n\n" +
            ":param queues: (optional) the queues to list; all when not given\n:param limit: (optional, default 200)\n" +
            ":param ids_only: (optional, default false) only the job ids\n\nReturns a list of {id, title, created, queue}.")
        .Read("job_show", AuthRules.Sysadmin, Show,
            "Show a background job waiting to run. Sysadmins only.\n\n:param id: the job's id")
        .Write("job_cancel", AuthRules.Sysadmin, Cancel,
            "Cancel a background job waiting to run: it is taken off its queue and never runs. Sysadmins only.\n\n:param id: the job's id")
        .Write("job_clear", AuthRules.Sysadmin, Clear,
            "Cancel every job waiting in the given queues (all when not given); running jobs go on. Sysadmins only.\n\n" +
            ":param queues: (optional) the queues to clear\n\nReturns the names of the cleared queues.");

    private sealed record Job(string Id, string? Title, DateTime Created, string Queue);

    private static async Task<JsonNode?> List(ActionContext ctx, JsonObject d)
    {
        var queues = RequestedQueues(d);
        var limit = DataDict.Int(d, "limit", DefaultListLimit);
        var idsOnly = DataDict.Bool(d, "ids_only", false);
        var jobs = new List<Job>();
        foreach (var queue in queues) jobs.AddRange(await WaitingAsync(ctx, queue));
        // CKAN: a limit of 0 or less lists everything.
        var listed = limit > 0 ? jobs.Take(limit) : jobs;
        return new JsonArray(listed.Select(j => idsOnly ? (JsonNode?)j.Id : Dictize(j)).ToArray());
    }

    private static async Task<JsonNode?> Show(ActionContext ctx, JsonObject d) => Dictize(await FindAsync(ctx, DataDict.Require(d, "id")));

    private static async Task<JsonNode?> Cancel(ActionContext ctx, JsonObject d)
    {
        var job = await FindAsync(ctx, DataDict.Require(d, "id"));
        await CancelAsync(ctx, job);
        return null;
    }

    private static async Task<JsonNode?> Clear(ActionContext ctx, JsonObject d)
    {
        var queues = RequestedQueues(d);
        foreach (var queue in queues)
            foreach (var job in await WaitingAsync(ctx, queue))
                await CancelAsync(ctx, job);
        return new JsonArray(queues.Select(q => (JsonNode?)q).ToArray());
    }

    /// <summary>
    /// <c>queues</c> as CKAN takes it: a list (or one name, or names with commas). CKAN makes an empty queue of any name; here an unknown
    /// name is refused, as it can only be a mistake.
    /// </summary>
    private static IReadOnlyList<string> RequestedQueues(JsonObject d)
    {
        var asked = DataDict.StringList(d, "queues");
        if (asked is null || asked.Count == 0) return Queues;
        var unknown = asked.Where(q => !Queues.Contains(q)).ToList();
        if (unknown.Count > 0)
            throw ValidationException.For("queues", $"Unknown queue {string.Join(", ", unknown)}: the queues are {string.Join(", ", Queues)}");
        return asked.Distinct().ToList();
    }

    private static async Task<IReadOnlyList<Job>> WaitingAsync(ActionContext ctx, string queue)
    {
        var ct = ctx.CancellationToken;
        switch (queue)
        {
            case Harvest:
                var harvests = await ctx.Db.HarvestJobs.AsNoTracking().Where(j => j.Status == HarvestJobStatus.New)
                    .OrderBy(j => j.Created).ThenBy(j => j.Id)
                    .Select(j => new { j.Id, j.Created, Source = ctx.Db.HarvestSources.Where(s => s.Id == j.SourceId).Select(s => s.Title ?? s.Name).FirstOrDefault() })
                    .ToListAsync(ct);
                return harvests.Select(j => new Job(j.Id, $"Harvest {j.Source ?? "(deleted source)"}", j.Created, Harvest)).ToList();
            case Sync:
                var syncs = await ctx.Db.SyncJobs.AsNoTracking().Where(j => j.Status == SyncJobStatus.New)
                    .OrderBy(j => j.Created).ThenBy(j => j.Id).ToListAsync(ct);
                return syncs.Select(j => new Job(j.Id, $"Sync to {j.Target}{(j.DryRun ? " (dry run)" : "")}", j.Created, Sync)).ToList();
            default:
                return ctx.Get<IngestionQueue>().Pending
                    .Select(p => new Job(p.ResourceId, $"DataStore ingestion of resource {p.ResourceId}", p.Queued, DataStore)).ToList();
        }
    }

    private static async Task<Job> FindAsync(ActionContext ctx, string id)
    {
        foreach (var queue in Queues)
            if ((await WaitingAsync(ctx, queue)).FirstOrDefault(j => j.Id == id) is { } job) return job;
        throw new NotFoundException("Job not found (only jobs waiting to run are jobs here: a started one is followed through its own actions)");
    }

    private static async Task CancelAsync(ActionContext ctx, Job job)
    {
        var ct = ctx.CancellationToken;
        switch (job.Queue)
        {
            case Harvest:
                // Only while still New: a runner that claimed it meanwhile goes on, as a started rq job does.
                await ctx.Db.HarvestJobs.Where(j => j.Id == job.Id && j.Status == HarvestJobStatus.New)
                    .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, HarvestJobStatus.Aborted).SetProperty(j => j.Finished, ctx.Now), ct);
                break;
            case Sync:
                await ctx.Db.SyncJobs.Where(j => j.Id == job.Id && j.Status == SyncJobStatus.New)
                    .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, SyncJobStatus.Finished).SetProperty(j => j.Finished, ctx.Now)
                        .SetProperty(j => j.Error, "Cancelled before it ran (job_cancel)"), ct);
                break;
            default:
                ctx.Get<IngestionQueue>().Cancel(job.Id);
                break;
        }
    }

    /// <summary>CKAN's jobs.dictize_job: created to the second, without a zone.</summary>
    private static JsonObject Dictize(Job j) => new()
    {
        ["id"] = j.Id,
        ["title"] = j.Title,
        ["created"] = j.Created.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        ["queue"] = j.Queue,
    };
}
