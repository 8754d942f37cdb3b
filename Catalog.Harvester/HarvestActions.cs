using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Catalog.Core.Dispatch;
using Catalog.Core;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.Store;
using Catalog.Harvester.Jobs;
using Catalog.Harvester.Sources;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Harvester;

/// <summary>ckanext-harvest's actions: sources, jobs (run now, abort) and objects. Sysadmins only, as harvesting reaches out to the network.</summary>
public static partial class HarvestActions
{
    public static readonly IReadOnlyList<string> Frequencies = ["MANUAL", "HOURLY", "DAILY", "WEEKLY", "MONTHLY"];
    public static readonly IReadOnlyList<string> SourceTypes = ["web", "ckan"];

    [GeneratedRegex("^[a-z0-9_-]{2,100}$")]
    private static partial Regex NamePattern();

    public static ActionRegistry AddHarvestActions(this ActionRegistry registry) => registry
        .Write("harvest_source_create", AuthRules.Sysadmin, SourceCreate,
            "Create a harvest source.\n\n:param name: unique, lowercase letters, digits, - and _\n:param url: the start page\n" +
            ":param source_type: web (department pages) or ckan (another CKAN's package_search)\n:param title:\n:param notes:\n:param owner_org: the organization datasets belong to when no 担当所属 maps elsewhere\n" +
            ":param frequency: MANUAL (default), HOURLY, DAILY, WEEKLY or MONTHLY\n:param config: a JSON string (schemas/harvest-source.schema.json)")
        .Read("harvest_source_show", AuthRules.Sysadmin, SourceShow, "A harvest source with its last job.\n\n:param id: the source's id or name")
        .Read("harvest_source_list", AuthRules.Sysadmin, SourceList, "Every active harvest source.")
        .Write("harvest_source_update", AuthRules.Sysadmin, SourceUpdate,
            "Update a harvest source: the keys given replace the stored ones.\n\n:param id: the source's id or name")
        .Write("harvest_source_delete", AuthRules.Sysadmin, SourceDelete,
            "Delete a harvest source (its datasets stay; what was fetched of its files and pages goes).\n\n:param id: the source's id or name")
        .Write("harvest_job_create", AuthRules.Sysadmin, JobCreate,
            "Queue a job for a source now (one waiting or running job per source).\n\n:param source_id: the source's id or name")
        .Read("harvest_job_show", AuthRules.Sysadmin, JobShow, "A job with its counts and errors.\n\n:param id:")
        .Read("harvest_job_list", AuthRules.Sysadmin, JobList,
            "Jobs, newest first.\n\n:param source_id: only this source's\n:param status: only jobs in this status")
        .Write("harvest_job_abort", AuthRules.Sysadmin, JobAbort,
            "Abort a source's waiting or running job.\n\n:param source_id: the source (its current job), or\n:param id: the job")
        .Read("harvest_object_show", AuthRules.Sysadmin, ObjectShow, "One harvested page: its dataset, status and errors.\n\n:param id:")
        .Read("harvest_object_list", AuthRules.Sysadmin, ObjectList, "The objects of a job.\n\n:param job_id:");

    public static async Task<JsonNode?> SourceCreate(ActionContext ctx, JsonObject d)
    {
        var s = new HarvestSource { Id = Guid.NewGuid().ToString(), Name = "", Url = "", SourceType = "", Created = ctx.Now, Modified = ctx.Now };
        await ApplyAsync(ctx, s, d, creating: true);
        ctx.Db.HarvestSources.Add(s);
        return await SourceDictAsync(ctx, s);
    }

    public static async Task<JsonNode?> SourceUpdate(ActionContext ctx, JsonObject d)
    {
        var s = await FindSourceAsync(ctx, Str(d, "id"));
        await ApplyAsync(ctx, s, d, creating: false);
        s.Modified = ctx.Now;
        return await SourceDictAsync(ctx, s);
    }

    public static async Task<JsonNode?> SourceShow(ActionContext ctx, JsonObject d) =>
        await SourceDictAsync(ctx, await FindSourceAsync(ctx, Str(d, "id") ?? Str(d, "name")));

    public static async Task<JsonNode?> SourceList(ActionContext ctx, JsonObject d)
    {
        var sources = await ctx.Db.HarvestSources.Where(s => s.State == ObjectState.Active).OrderBy(s => s.Name).ToListAsync(ctx.CancellationToken);
        var list = new JsonArray();
        foreach (var s in sources) list.Add(await SourceDictAsync(ctx, s));
        return list;
    }

    public static async Task<JsonNode?> SourceDelete(ActionContext ctx, JsonObject d)
    {
        var s = await FindSourceAsync(ctx, Str(d, "id"));
        s.State = ObjectState.Deleted;
        s.Modified = ctx.Now;
        // A deleted source's name is free again, as its jobs keep pointing at it by id.
        s.Name = $"{s.Name}-deleted-{s.Id[..8]}";
        foreach (var j in await ctx.Db.HarvestJobs.Where(j => j.SourceId == s.Id && j.Status == HarvestJobStatus.New).ToListAsync(ctx.CancellationToken))
            j.Status = HarvestJobStatus.Aborted;
        // What was fetched of its files and pages served only its next runs; the datasets, jobs and objects stay.
        await PageRecords.OfSource(ctx.Db, s.Id).ExecuteDeleteAsync(ctx.CancellationToken);
        return null;
    }

    public static async Task<JsonNode?> JobCreate(ActionContext ctx, JsonObject d)
    {
        var s = await FindSourceAsync(ctx, Str(d, "source_id") ?? Str(d, "id"));
        if (await ctx.Db.HarvestJobs.AnyAsync(j => j.SourceId == s.Id && (j.Status == HarvestJobStatus.New || j.Status == HarvestJobStatus.Running), ctx.CancellationToken))
            throw ValidationException.For("source_id", "There already is an unrun or running job for this source");
        var job = new HarvestJob { Id = Guid.NewGuid().ToString(), SourceId = s.Id, Created = ctx.Now };
        ctx.Db.HarvestJobs.Add(job);
        var queue = ctx.Get<HarvestQueue>();
        ctx.AfterCommit(() => { queue.Wake(); return Task.CompletedTask; });
        return JobDict(job, s);
    }

    public static async Task<JsonNode?> JobShow(ActionContext ctx, JsonObject d)
    {
        var id = Str(d, "id") ?? throw ValidationException.For("id", "Missing value");
        var job = await ctx.Db.HarvestJobs.FirstOrDefaultAsync(j => j.Id == id, ctx.CancellationToken) ?? throw new NotFoundException("Harvest job not found");
        var source = await ctx.Db.HarvestSources.FirstOrDefaultAsync(s => s.Id == job.SourceId, ctx.CancellationToken);
        var dict = JobDict(job, source);
        var errored = await ctx.Db.HarvestObjects.Where(o => o.JobId == id && o.State == "ERROR")
            .OrderBy(o => o.Created).Select(o => new { o.Id, o.Guid, o.Errors }).ToListAsync(ctx.CancellationToken);
        dict["object_errors"] = new JsonArray(errored.Select(o => (JsonNode?)new JsonObject
        {
            ["harvest_object_id"] = o.Id, ["guid"] = o.Guid, ["errors"] = Errors(o.Errors),
        }).ToArray());
        return dict;
    }

    public static async Task<JsonNode?> JobList(ActionContext ctx, JsonObject d)
    {
        var query = ctx.Db.HarvestJobs.AsQueryable();
        if (Str(d, "source_id") is { } sourceKey)
        {
            var s = await FindSourceAsync(ctx, sourceKey);
            query = query.Where(j => j.SourceId == s.Id);
        }
        if (Str(d, "status") is { } status) query = query.Where(j => j.Status == status);
        var jobs = await query.OrderByDescending(j => j.Created).Take(1000).ToListAsync(ctx.CancellationToken);
        var sourceIds = jobs.Select(j => j.SourceId).Distinct().ToList();
        var sources = await ctx.Db.HarvestSources.Where(s => sourceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ctx.CancellationToken);
        return new JsonArray(jobs.Select(j => (JsonNode?)JobDict(j, sources.GetValueOrDefault(j.SourceId))).ToArray());
    }

    public static async Task<JsonNode?> JobAbort(ActionContext ctx, JsonObject d)
    {
        HarvestJob? job;
        if (Str(d, "id") is { } id) job = await ctx.Db.HarvestJobs.FirstOrDefaultAsync(j => j.Id == id, ctx.CancellationToken);
        else
        {
            var s = await FindSourceAsync(ctx, Str(d, "source_id"));
            job = await ctx.Db.HarvestJobs.Where(j => j.SourceId == s.Id && (j.Status == HarvestJobStatus.New || j.Status == HarvestJobStatus.Running))
                .OrderByDescending(j => j.Created).FirstOrDefaultAsync(ctx.CancellationToken);
        }
        if (job is null) throw new NotFoundException("Harvest job not found");
        if (job.Status is HarvestJobStatus.New or HarvestJobStatus.Running)
        {
            job.Status = HarvestJobStatus.Aborted;
            job.Finished ??= ctx.Now;
        }
        return JobDict(job, null);
    }

    public static async Task<JsonNode?> ObjectShow(ActionContext ctx, JsonObject d)
    {
        var id = Str(d, "id") ?? throw ValidationException.For("id", "Missing value");
        var o = await ctx.Db.HarvestObjects.FirstOrDefaultAsync(x => x.Id == id, ctx.CancellationToken) ?? throw new NotFoundException("Harvest object not found");
        return ObjectDict(o);
    }

    public static async Task<JsonNode?> ObjectList(ActionContext ctx, JsonObject d)
    {
        var jobId = Str(d, "job_id") ?? throw ValidationException.For("job_id", "Missing value");
        var objects = await ctx.Db.HarvestObjects.Where(o => o.JobId == jobId).OrderBy(o => o.Created).ToListAsync(ctx.CancellationToken);
        return new JsonArray(objects.Select(o => (JsonNode?)ObjectDict(o)).ToArray());
    }

    private static JsonObject ObjectDict(HarvestObject o) => new()
    {
        ["id"] = o.Id,
        ["guid"] = o.Guid,
        ["harvest_job_id"] = o.JobId,
        ["harvest_source_id"] = o.SourceId,
        ["package_id"] = o.PackageId,
        ["state"] = o.State,
        ["report_status"] = o.ReportStatus,
        ["gathered"] = Timestamps.Format(o.Created),
        ["source_url"] = o.Guid,
        ["errors"] = Errors(o.Errors),
    };

    private static JsonArray Errors(string? json) => json is null ? [] : (JsonArray)JsonNode.Parse(json)!;

    private static async Task ApplyAsync(ActionContext ctx, HarvestSource s, JsonObject d, bool creating)
    {
        var errors = new JsonObject();
        void Error(string key, string message) => errors[key] = new JsonArray(message);
        bool Given(string key) => creating || d.ContainsKey(key);

        if (Given("name"))
        {
            var name = Str(d, "name");
            if (name is null) Error("name", "Missing value");
            else if (!NamePattern().IsMatch(name)) Error("name", "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_");
            else if (await ctx.Db.HarvestSources.AnyAsync(x => x.Name == name && x.Id != s.Id, ctx.CancellationToken)) Error("name", "That URL is already in use.");
            else s.Name = name;
        }
        if (Given("url"))
        {
            var url = Str(d, "url");
            if (url is null) Error("url", "Missing value");
            else if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")) Error("url", "Must be an absolute http or https URL");
            else s.Url = url;
        }
        if (Given("source_type"))
        {
            var type = Str(d, "source_type");
            if (type is null) Error("source_type", "Missing value");
            else if (!SourceTypes.Contains(type)) Error("source_type", $"Unknown harvester type: {type} (known: {string.Join(", ", SourceTypes)})");
            else s.SourceType = type;
        }
        if (d.ContainsKey("title")) s.Title = Str(d, "title");
        if (d.ContainsKey("notes")) s.Notes = Str(d, "notes");
        if (Given("frequency"))
        {
            var frequency = (Str(d, "frequency") ?? "MANUAL").ToUpperInvariant();
            if (!Frequencies.Contains(frequency)) Error("frequency", $"Frequency {frequency} not recognised as one of: {string.Join(", ", Frequencies)}");
            else s.Frequency = frequency;
        }
        if (d.ContainsKey("owner_org"))
        {
            var org = Str(d, "owner_org");
            if (org is null) s.OwnerOrg = null;
            else
            {
                var found = await ctx.Db.Groups.Where(g => (g.Name == org || g.Id == org) && g.IsOrganization && g.State == ObjectState.Active)
                    .Select(g => g.Name).FirstOrDefaultAsync(ctx.CancellationToken);
                if (found is null) Error("owner_org", "Organization does not exist");
                else s.OwnerOrg = found;
            }
        }
        if (d.ContainsKey("config"))
        {
            var config = d["config"] switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                null => null,
                var node => node.ToJsonString(),
            };
            var problems = HarvestConfig.Problems(config);
            if (problems.Count > 0) errors["config"] = new JsonArray(problems.Select(p => (JsonNode?)p).ToArray());
            else s.Config = string.IsNullOrWhiteSpace(config) ? null : config;
        }
        if (errors.Count > 0) throw new ValidationException(errors);
    }

    private static async Task<HarvestSource> FindSourceAsync(ActionContext ctx, string? key)
    {
        if (key is null) throw ValidationException.For("id", "Missing value");
        return await ctx.Db.HarvestSources.FirstOrDefaultAsync(s => (s.Id == key || s.Name == key) && s.State == ObjectState.Active, ctx.CancellationToken)
            ?? throw new NotFoundException("Harvest source not found");
    }

    private static async Task<JsonObject> SourceDictAsync(ActionContext ctx, HarvestSource s)
    {
        var last = await ctx.Db.HarvestJobs.Where(j => j.SourceId == s.Id).OrderByDescending(j => j.Created).FirstOrDefaultAsync(ctx.CancellationToken);
        var jobCount = await ctx.Db.HarvestJobs.CountAsync(j => j.SourceId == s.Id, ctx.CancellationToken);
        var datasets = await ctx.Db.PackageExtras.CountAsync(x => x.Key == "harvest_source_id" && x.Value == s.Id, ctx.CancellationToken);
        return new JsonObject
        {
            ["id"] = s.Id,
            ["name"] = s.Name,
            ["title"] = s.Title,
            ["notes"] = s.Notes,
            ["url"] = s.Url,
            ["source_type"] = s.SourceType,
            ["owner_org"] = s.OwnerOrg,
            ["frequency"] = s.Frequency,
            ["config"] = s.Config,
            ["state"] = s.State,
            ["active"] = s.State == ObjectState.Active,
            ["metadata_created"] = Timestamps.Format(s.Created),
            ["metadata_modified"] = Timestamps.Format(s.Modified),
            ["status"] = new JsonObject
            {
                ["job_count"] = jobCount,
                ["total_datasets"] = datasets,
                ["last_job"] = last is null ? null : JobDict(last, s),
            },
        };
    }

    private static JsonObject JobDict(HarvestJob j, HarvestSource? s) => new()
    {
        ["id"] = j.Id,
        ["source_id"] = j.SourceId,
        ["source_name"] = s?.Name,
        ["status"] = j.Status,
        ["created"] = Timestamps.Format(j.Created),
        ["gather_started"] = Timestamps.Format(j.GatherStarted),
        ["gather_finished"] = Timestamps.Format(j.GatherFinished),
        ["finished"] = Timestamps.Format(j.Finished),
        ["stats"] = new JsonObject
        {
            ["added"] = j.Added, ["updated"] = j.Updated, ["unchanged"] = j.Unchanged, ["deleted"] = j.Deleted, ["errored"] = j.Errored,
        },
        ["gather_errors"] = j.GatherError is null ? new JsonArray() : new JsonArray(new JsonObject { ["message"] = j.GatherError }),
    };

    private static string? Str(JsonObject d, string key) => d[key] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s.Trim() : null,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };
}
