using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Actions;

/// <summary>Appends to the change feed; every write action records what it changed, inside its own transaction.</summary>
public static class ActivityLog
{
    public static void Record(ActionContext ctx, string objectType, string objectId, string activityType, JsonObject? snapshot)
    {
        ctx.Db.Activities.Add(new Activity
        {
            Id = Guid.NewGuid().ToString(),
            Timestamp = ctx.Now,
            UserId = ctx.Caller.UserId,
            ObjectId = objectId,
            ObjectType = objectType,
            ActivityType = activityType,
            Data = snapshot is null ? "{}" : new JsonObject { [objectType] = snapshot.DeepClone() }.ToJsonString(),
        });
    }
}
