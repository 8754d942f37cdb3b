using System.Text.Json.Nodes;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Catalog.Sync.Jobs;
using Catalog.Sync.Targets;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Sync;

/// <summary>The sync actions: the targets, a run now (in the background), and what each target holds. Sysadmins only, as a sync writes to another catalog.</summary>
public static class SyncActions
{
    public static ActionRegistry AddSyncActions(this ActionRegistry registry) => registry
        .Read("sync_target_list", AuthRules.Sysadmin, TargetList,
            "The configured sync targets (Catalog:Sync:Targets) with their last run; tokens are never shown.")
        .Write("sync_run", AuthRules.Sysadmin, Run,
            "Queue a run of a target now; it runs in the background.\n\n:param target: the target's name\n" +
            ":param dry_run: true to only list what would be sent (default false)")
        .Read("sync_status", AuthRules.Sysadmin, Status,
            "A target's last runs with their counts, and what it holds of each dataset.\n\n:param target: the target's name\n" +
            ":param limit: how many runs (default 10, at most 100)");

    public static async Task<JsonNode?> TargetList(ActionContext ctx, JsonObject d)
    {
        var list = new JsonArray();
        foreach (var t in ctx.Get<SyncTargets>().All)
        {
            var last = await ctx.Db.SyncJobs.AsNoTracking().Where(j => j.Target == t.Name)
                .OrderByDescending(j => j.Created).FirstOrDefaultAsync(ctx.CancellationToken);
            list.Add(new JsonObject
            {
                ["name"] = t.Name,
                ["url"] = t.Url.AbsoluteUri,
                ["organization"] = t.Organization,
                ["schedule"] = t.Schedule,
                ["include"] = new JsonArray(t.Include.Select(i => (JsonNode?)i).ToArray()),
                ["allow_private_addresses"] = t.AllowPrivateAddresses,
                ["last_job"] = last is null ? null : JobDict(last, report: false),
            });
        }
        return list;
    }

    public static async Task<JsonNode?> Run(ActionContext ctx, JsonObject d)
    {
        var target = FindTarget(ctx, d);
        var dryRun = DataDict.Bool(d, "dry_run", false);
        if (await ctx.Db.SyncJobs.AnyAsync(j => j.Target == target.Name && (j.Status == SyncJobStatus.New || j.Status == SyncJobStatus.Running), ctx.CancellationToken))
            throw ValidationException.For("target", "There already is an unrun or running job for this target");
        var job = new SyncJob { Id = Guid.NewGuid().ToString(), Target = target.Name, DryRun = dryRun, Created = ctx.Now };
        ctx.Db.SyncJobs.Add(job);
        var queue = ctx.Get<SyncQueue>();
        ctx.AfterCommit(() => { queue.Wake(); return Task.CompletedTask; });
        return JobDict(job, report: false);
    }

    public static async Task<JsonNode?> Status(ActionContext ctx, JsonObject d)
    {
        var target = FindTarget(ctx, d);
        var limit = DataDict.Int(d, "limit", 10, min: 1, max: 100);
        var jobs = await ctx.Db.SyncJobs.AsNoTracking().Where(j => j.Target == target.Name)
            .OrderByDescending(j => j.Created).Take(limit).ToListAsync(ctx.CancellationToken);
        var datasets = await ctx.Db.SyncDatasets.AsNoTracking().Where(x => x.Target == target.Name)
            .OrderBy(x => x.RemoteName).ToListAsync(ctx.CancellationToken);
        return new JsonObject
        {
            ["target"] = target.Name,
            ["position"] = await SyncRunner.LastPositionAsync(ctx.Db, target.Name, ctx.CancellationToken),
            ["jobs"] = new JsonArray(jobs.Select(j => (JsonNode?)JobDict(j, report: true)).ToArray()),
            ["datasets"] = new JsonArray(datasets.Select(x => (JsonNode?)new JsonObject
            {
                ["package_id"] = x.PackageId,
                ["remote_id"] = x.RemoteId,
                ["remote_name"] = x.RemoteName,
                ["status"] = x.Status,
                ["last_pushed_seq"] = x.PushedSeq,
                ["last_error"] = x.LastError,
                ["modified"] = Timestamps.Format(x.Modified),
            }).ToArray()),
        };
    }

    private static SyncTarget FindTarget(ActionContext ctx, JsonObject d) =>
        ctx.Get<SyncTargets>().Find(DataDict.Require(d, "target")) ?? throw new NotFoundException("Sync target not found");

    public static JsonObject JobDict(SyncJob j, bool report) => new()
    {
        ["id"] = j.Id,
        ["target"] = j.Target,
        ["status"] = j.Status,
        ["dry_run"] = j.DryRun,
        ["created"] = Timestamps.Format(j.Created),
        ["started"] = Timestamps.Format(j.Started),
        ["finished"] = Timestamps.Format(j.Finished),
        ["from_seq"] = j.FromSeq,
        ["to_seq"] = j.ToSeq,
        ["error"] = j.Error,
        ["stats"] = new JsonObject
        {
            ["created"] = j.CreatedCount, ["updated"] = j.Updated, ["deleted"] = j.Deleted,
            ["unchanged"] = j.Unchanged, ["failed"] = j.Failed,
        },
        ["report"] = report ? JsonNode.Parse(j.Report) : null,
    };
}
