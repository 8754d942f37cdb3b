using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// One activity at a time (activity_show, activity_data_show, activity_diff), adding one (activity_create) and the
/// notification e-mails. An activity is readable exactly when its object is, by the streams' own rule.
/// </summary>
public static partial class Activities
{
    private static readonly HashSet<string> ActivityVerbs = ["new", "changed", "deleted"];

    private static async Task<JsonNode?> ActivityShow(ActionContext ctx, JsonObject d)
    {
        var (a, actor) = await ReadableActivityAsync(ctx, DataDict.Require(d, "id"));
        return ActivityDictizer.Dictize(a, actor);
    }

    private static async Task<JsonNode?> ActivityDataShow(ActionContext ctx, JsonObject d)
    {
        var (a, actor) = await ReadableActivityAsync(ctx, DataDict.Require(d, "id"));
        var data = ActivityDictizer.Dictize(a, actor)["data"]!.AsObject();
        if (DataDict.String(d, "object_type") is not { Length: > 0 } objectType) return data.DeepClone();
        return data[objectType] is JsonObject obj ? obj.DeepClone() : throw new NotFoundException("Could not find that object_type in the activity");
    }

    private static async Task<JsonNode?> ActivityDiff(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "id");
        var objectType = DataDict.Require(d, "object_type");
        var diffType = DataDict.String(d, "diff_type") is { Length: > 0 } t ? t : "unified";
        if (diffType is not ("unified" or "context"))
            throw new ValidationException(new JsonObject
            {
                ["message"] = diffType == "html" ? "diff_type html is not offered here: use unified or context" : "diff_type not recognized",
            });
        var (a, actor) = await ReadableActivityAsync(ctx, id);
        // The previous version of the same object; the feed's order is the commit order, finer than timestamps.
        var previous = await ctx.Db.Activities.AsNoTracking()
            .Where(x => x.ObjectId == a.ObjectId && x.Seq < a.Seq).OrderByDescending(x => x.Seq)
            .Select(x => new { Activity = x, Actor = ctx.Db.Users.Where(u => u.Id == x.UserId).Select(u => u.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(ctx.CancellationToken)
            ?? throw new NotFoundException("Previous activity for this object not found");
        var dicts = new[] { ActivityDictizer.Dictize(previous.Activity, previous.Actor), ActivityDictizer.Dictize(a, actor) };
        var objects = dicts.Select(x => x["data"]?[objectType] ?? throw new NotFoundException("Could not find object in the activity data")).ToList();
        var lines = objects.Select(o => PrettyJson.Write(o).Split('\n')).ToList();
        var diff = diffType == "unified" ? LineDiff.Unified(lines[0], lines[1]) : LineDiff.Context(lines[0], lines[1]);
        return new JsonObject { ["diff"] = diff, ["activities"] = new JsonArray(dicts.Select(x => (JsonNode?)x).ToArray()) };
    }

    /// <summary>
    /// The activity, if its object is readable by the caller: CKAN's 404 for an unknown id, 403 for one the caller may
    /// not read (the message names only the id that was asked for).
    /// </summary>
    private static async Task<(Activity, string?)> ReadableActivityAsync(ActionContext ctx, string id)
    {
        var query = ctx.Db.Activities.AsNoTracking().Where(a => a.Id == id);
        var found = await query
            .Select(a => new { Activity = a, Actor = ctx.Db.Users.Where(u => u.Id == a.UserId).Select(u => u.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(ctx.CancellationToken) ?? throw new NotFoundException("Activity not found");
        if (!await (await ReadableAsync(ctx, query)).AnyAsync(ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"read activity {id}");
        return (found.Activity, found.Actor);
    }

    /// <summary>
    /// CKAN's activity_create: the type is one CKAN renders for a dataset, group, organization or user, the object must
    /// exist, and the activity joins the feed like any change (the index re-reads a dataset it names).
    /// </summary>
    private static async Task<JsonNode?> ActivityCreate(ActionContext ctx, JsonObject d)
    {
        var errors = new JsonObject();
        var userRef = DataDict.String(d, "user_id");
        var objectRef = DataDict.String(d, "object_id");
        var type = DataDict.String(d, "activity_type")?.Trim();
        if (string.IsNullOrEmpty(userRef)) ValidationException.Add(errors, "user_id", "Missing value");
        if (string.IsNullOrEmpty(objectRef)) ValidationException.Add(errors, "object_id", "Missing value");
        string? objectType = null;
        if (string.IsNullOrEmpty(type)) ValidationException.Add(errors, "activity_type", "Missing value");
        else if (type.Split(' ') is [var verb, var noun] && ActivityVerbs.Contains(verb) && noun is "package" or "group" or "organization" or "user")
            objectType = noun;
        else ValidationException.Add(errors, "activity_type", "Not found: Activity type");
        if (d["data"] is not (null or JsonObject)) ValidationException.Add(errors, "data", "Must be a dict");

        var user = string.IsNullOrEmpty(userRef) ? null : await UserLookup.FindAsync(ctx.Db, userRef, ctx.CancellationToken, tracking: false);
        if (user is null && !string.IsNullOrEmpty(userRef)) ValidationException.Add(errors, "user_id", "Not found: User");
        string? objectId = null;
        if (objectType is not null && !string.IsNullOrEmpty(objectRef))
        {
            objectId = objectType switch
            {
                "package" => await ctx.Db.Packages.Named(objectRef).Select(p => p.Id).FirstOrDefaultAsync(ctx.CancellationToken),
                "user" => (await UserLookup.FindAsync(ctx.Db, objectRef, ctx.CancellationToken, tracking: false))?.Id,
                _ => await ctx.Db.Groups.Named(objectRef).Where(g => g.IsOrganization == (objectType == "organization"))
                    .Select(g => g.Id).FirstOrDefaultAsync(ctx.CancellationToken),
            };
            if (objectId is null)
                ValidationException.Add(errors, "object_id", $"Not found: {objectType switch { "package" => "Dataset", "user" => "User", _ => "Group" }}");
        }
        if (errors.Count > 0) throw new ValidationException(errors);

        var activity = new Activity
        {
            Id = Guid.NewGuid().ToString(),
            Timestamp = ctx.Now,
            UserId = user!.Id,
            ObjectId = objectId!,
            ObjectType = objectType!,
            ActivityType = type!,
            Data = (d["data"] as JsonObject ?? new JsonObject()).ToJsonString(),
        };
        ctx.Db.Activities.Add(activity);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return ActivityDictizer.Dictize(activity, user.Name);
    }

    /// <summary>
    /// No mail server is set up: as CKAN with notifications off, a clear refusal. Sending them needs CKAN's per-user
    /// opt-in (activity_streams_email_notifications), which accounts here do not have yet.
    /// </summary>
    private static Task<JsonNode?> SendEmailNotifications(ActionContext ctx, JsonObject d) =>
        throw new ValidationException(new JsonObject
        {
            ["message"] = "E-mail notifications are not configured: this catalog sends no e-mail (no mail server is set up). CKAN: ckan.activity_streams_email_notifications is not enabled in config",
        });
}
