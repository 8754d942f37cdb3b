using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;

namespace Catalog.Core.Domain;

/// <summary>Appends to the change feed; every write action records what it changed, inside its own transaction.</summary>
public static class ActivityLog
{
    /// <param name="detail">Keys recorded beside the snapshot (what a fix changed, an override of the publishing gate).</param>
    public static void Record(ActionContext ctx, string objectType, string objectId, string activityType, JsonObject? snapshot, JsonObject? detail = null)
    {
        var data = snapshot is null ? new JsonObject() : new JsonObject { [objectType] = snapshot.DeepClone() };
        if (detail is not null)
            foreach (var (key, value) in detail) data[key] = value?.DeepClone();
        ctx.Db.Activities.Add(new Activity
        {
            Id = Guid.NewGuid().ToString(),
            Timestamp = ctx.Now,
            UserId = ctx.Caller.UserId,
            ObjectId = objectId,
            ObjectType = objectType,
            ActivityType = activityType,
            // A copy: the caller usually returns the same dict as its result, and a JSON node has only one parent.
            Data = data.ToJsonString(),
        });
    }

    /// <summary>The dataset's dict as package_show would return it, appended to the change feed.</summary>
    public static async Task<JsonObject> RecordPackageAsync(ActionContext ctx, Package p, string activityType, JsonObject? detail = null)
    {
        var dict = await PackageLookup.DictizeAsync(ctx, p);
        Record(ctx, "package", p.Id, activityType, dict, detail);
        return dict;
    }
}
