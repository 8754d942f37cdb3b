using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

/// <summary>Follower row → CKAN's follower dict (the table's own columns, as CKAN's table_dictize gives them).</summary>
public static class FollowerDictizer
{
    public static JsonObject Dictize(Follower f) => new()
    {
        ["datetime"] = Timestamps.Format(f.Datetime),
        ["follower_id"] = f.FollowerId,
        ["object_id"] = f.ObjectId,
    };
}
