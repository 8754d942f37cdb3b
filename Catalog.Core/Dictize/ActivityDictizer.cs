using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

/// <summary>Activity entity → CKAN activity dict: the snapshot stored at the time of the change, with the actor's name.</summary>
public static class ActivityDictizer
{
    public static JsonObject Dictize(Activity a, string? actorName)
    {
        var data = JsonNode.Parse(a.Data) as JsonObject ?? new JsonObject();
        // CKAN keeps the actor's name beside the snapshot so the stream reads well without a user lookup.
        data["actor"] = actorName;
        return new JsonObject
        {
            ["activity_type"] = a.ActivityType,
            ["data"] = data,
            ["id"] = a.Id,
            ["object_id"] = a.ObjectId,
            ["timestamp"] = Timestamps.Format(a.Timestamp),
            ["user_id"] = a.UserId,
        };
    }
}
