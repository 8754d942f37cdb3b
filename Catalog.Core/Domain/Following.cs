using Catalog.Core.Store;

namespace Catalog.Core.Domain;

/// <summary>
/// What a user follows, as store queries. As in CKAN, a row whose follower or object is deleted is kept but not
/// counted: followers come back when a dataset is restored.
/// </summary>
public static class Following
{
    /// <summary>Follower rows of a kind whose follower is not deleted and whose object exists and is not deleted.</summary>
    public static IQueryable<Follower> Live(CatalogDbContext db, string objectType)
    {
        var rows = db.Followers.Where(f => f.ObjectType == objectType
            && db.Users.Any(u => u.Id == f.FollowerId && u.State != ObjectState.Deleted));
        return objectType switch
        {
            FollowedType.Dataset => rows.Where(f => db.Packages.Any(p => p.Id == f.ObjectId && p.State != ObjectState.Deleted)),
            FollowedType.Group => rows.Where(f => db.Groups.Any(g => g.Id == f.ObjectId && g.State != ObjectState.Deleted)),
            _ => rows.Where(f => db.Users.Any(u => u.Id == f.ObjectId && u.State != ObjectState.Deleted)),
        };
    }

    /// <summary>The ids of the objects of a kind the user follows (any state: streams filter by what the reader may read).</summary>
    public static IQueryable<string> FolloweeIds(CatalogDbContext db, string userId, string objectType) =>
        db.Followers.Where(f => f.FollowerId == userId && f.ObjectType == objectType).Select(f => f.ObjectId);
}
