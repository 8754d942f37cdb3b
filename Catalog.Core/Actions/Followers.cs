using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// Following datasets, groups, organizations and users (CKAN's follow_*, unfollow_*, *_follower_*, *_followee_* and
/// am_following_*). A dataset the caller may not read is answered exactly as one that does not exist, so following,
/// counting and asking never tell that a private dataset is there.
/// </summary>
public static class Followers
{
    /// <summary>A kind of followed object as an action names it.</summary>
    /// <param name="Table">The follower rows' object type (organizations and groups share one, as in CKAN).</param>
    /// <param name="Noun">The action's prefix: dataset, group, organization or user.</param>
    /// <param name="Label">CKAN's name for it in "Not found: …".</param>
    /// <param name="IsOrganization">For followee lists: organizations only (true), groups only (false), either (null).</param>
    private sealed record Kind(string Table, string Noun, string Label, bool? IsOrganization = null);

    private static readonly Kind Dataset = new(FollowedType.Dataset, "dataset", "Dataset");
    private static readonly Kind Group = new(FollowedType.Group, "group", "Group", IsOrganization: false);
    private static readonly Kind Organization = new(FollowedType.Group, "organization", "Group", IsOrganization: true);
    private static readonly Kind User = new(FollowedType.User, "user", "User");

    private const string IdParam = "\n\n:param id: the id or name of the ";
    private const string UserParam = "\n\n:param id: the id or name of the user";

    public static ActionRegistry AddFollowerActions(this ActionRegistry r) => r
        .Write("follow_dataset", FollowerAuth.Follow("datasets"), Follow(Dataset),
            "Start following a dataset you may read; following it again returns the same relationship." + IdParam + "dataset\n:returns: {follower_id, object_id, datetime}")
        .Write("follow_group", FollowerAuth.Follow("groups"), Follow(Group),
            "Start following a group or an organization." + IdParam + "group or organization\n:returns: {follower_id, object_id, datetime}")
        .Write("follow_user", FollowerAuth.Follow("users"), Follow(User),
            "Start following another user." + IdParam + "user\n:returns: {follower_id, object_id, datetime}")
        .Write("unfollow_dataset", FollowerAuth.Unfollow("datasets"), Unfollow(Dataset),
            "Stop following a dataset (nothing happens when you were not following it)." + IdParam + "dataset")
        .Write("unfollow_group", FollowerAuth.Unfollow("groups"), Unfollow(Group),
            "Stop following a group or an organization." + IdParam + "group or organization")
        .Write("unfollow_user", FollowerAuth.Unfollow("users"), Unfollow(User),
            "Stop following a user." + IdParam + "user")
        .Read("dataset_follower_count", AuthRules.Anyone, FollowerCount(Dataset),
            "Return the number of followers of a dataset you may read." + IdParam + "dataset")
        .Read("group_follower_count", AuthRules.Anyone, FollowerCount(Group),
            "Return the number of followers of a group." + IdParam + "group")
        .Read("organization_follower_count", AuthRules.Anyone, FollowerCount(Organization),
            "Return the number of followers of an organization." + IdParam + "organization")
        .Read("user_follower_count", UserAuth.Show, FollowerCount(User),
            "Return the number of followers of a user (anonymous callers only when user details are public)." + IdParam + "user")
        .Read("dataset_follower_list", AuthRules.Sysadmin, FollowerList(Dataset),
            "Return the users following a dataset (sysadmins only, as in CKAN 2.11)." + IdParam + "dataset")
        .Read("group_follower_list", AuthRules.Sysadmin, FollowerList(Group),
            "Return the users following a group (sysadmins only)." + IdParam + "group")
        .Read("organization_follower_list", AuthRules.Sysadmin, FollowerList(Organization),
            "Return the users following an organization (sysadmins only)." + IdParam + "organization")
        .Read("user_follower_list", AuthRules.Sysadmin, FollowerList(User),
            "Return the users following a user (sysadmins only)." + IdParam + "user")
        .Read("am_following_dataset", FollowerAuth.AmFollowing, AmFollowing(Dataset),
            "Return true if you follow the dataset, false if not. Logged-in users only." + IdParam + "dataset")
        .Read("am_following_group", FollowerAuth.AmFollowing, AmFollowing(Group),
            "Return true if you follow the group or organization, false if not. Logged-in users only." + IdParam + "group")
        .Read("am_following_user", FollowerAuth.AmFollowing, AmFollowing(User),
            "Return true if you follow the user, false if not. Logged-in users only." + IdParam + "user")
        .Read("followee_count", UserAuth.Show, FolloweeCount(null),
            "Return the number of objects of any kind a user follows (datasets only those you may read). Anonymous callers only when user details are public." + UserParam)
        .Read("dataset_followee_count", UserAuth.Show, FolloweeCount(Dataset),
            "Return the number of datasets a user follows that you may read." + UserParam)
        .Read("group_followee_count", UserAuth.Show, FolloweeCount(Group),
            "Return the number of groups a user follows." + UserParam)
        .Read("organization_followee_count", UserAuth.Show, FolloweeCount(Organization),
            "Return the number of organizations a user follows." + UserParam)
        .Read("user_followee_count", UserAuth.Show, FolloweeCount(User),
            "Return the number of users a user follows." + UserParam)
        .Read("followee_list", FollowerAuth.FolloweeList, FolloweeList,
            "Return what a user follows, of every kind, as {type, display_name, dict}, sorted by display name. Yourself, or anyone for sysadmins." + UserParam + "\n:param q: (optional) only objects whose display name starts with this (case-insensitive)")
        .Read("dataset_followee_list", FollowerAuth.FolloweeList, FolloweeListOf(Dataset),
            "Return the datasets a user follows that you may read, as package_show dicts. Yourself, or anyone for sysadmins." + UserParam)
        .Read("group_followee_list", FollowerAuth.FolloweeList, FolloweeListOf(Group),
            "Return the groups a user follows. Yourself, or anyone for sysadmins." + UserParam)
        .Read("organization_followee_list", FollowerAuth.FolloweeList, FolloweeListOf(Organization),
            "Return the organizations a user follows. Yourself, or anyone for sysadmins." + UserParam)
        .Read("user_followee_list", FollowerAuth.FolloweeList, FolloweeListOf(User),
            "Return the users a user follows. Yourself, or anyone for sysadmins." + UserParam);

    private static ActionHandler Follow(Kind kind) => async (ctx, d) =>
    {
        var self = ctx.Caller.UserId!;
        var objectId = await ObjectIdAsync(ctx, kind, d, $"Error validating the schema of the {kind.Noun} to follow.");
        if (kind.Table == FollowedType.User && objectId == self)
            throw new ValidationException(new JsonObject { ["message"] = "You cannot follow yourself" });
        var row = await ctx.Db.Followers.FirstOrDefaultAsync(
            f => f.FollowerId == self && f.ObjectType == kind.Table && f.ObjectId == objectId, ctx.CancellationToken);
        if (row is null)
        {
            row = new Follower { FollowerId = self, ObjectType = kind.Table, ObjectId = objectId, Datetime = ctx.Now };
            ctx.Db.Followers.Add(row);
            await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        }
        return FollowerDictizer.Dictize(row);
    };

    private static ActionHandler Unfollow(Kind kind) => async (ctx, d) =>
    {
        var self = ctx.Caller.UserId!;
        var objectId = await ObjectIdAsync(ctx, kind, d, "Error validating the schema of the object to unfollow.");
        await ctx.Db.Followers
            .Where(f => f.FollowerId == self && f.ObjectType == kind.Table && f.ObjectId == objectId)
            .ExecuteDeleteAsync(ctx.CancellationToken);
        return null;
    };

    private static ActionHandler FollowerCount(Kind kind) => async (ctx, d) =>
    {
        var objectId = await ObjectIdAsync(ctx, kind, d);
        return await Following.Live(ctx.Db, kind.Table).CountAsync(f => f.ObjectId == objectId, ctx.CancellationToken);
    };

    private static ActionHandler FollowerList(Kind kind) => async (ctx, d) =>
    {
        var objectId = await ObjectIdAsync(ctx, kind, d);
        var users = await Following.Live(ctx.Db, kind.Table).Where(f => f.ObjectId == objectId)
            .Join(ctx.Db.Users.AsNoTracking(), f => f.FollowerId, u => u.Id, (f, u) => u)
            .OrderBy(u => u.Name).ToListAsync(ctx.CancellationToken);
        return await UserDictsAsync(ctx, users);
    };

    private static ActionHandler AmFollowing(Kind kind) => async (ctx, d) =>
    {
        var objectId = await ObjectIdAsync(ctx, kind, d);
        var self = ctx.Caller.UserId!;
        return await Following.Live(ctx.Db, kind.Table)
            .AnyAsync(f => f.FollowerId == self && f.ObjectId == objectId, ctx.CancellationToken);
    };

    private static ActionHandler FolloweeCount(Kind? kind) => async (ctx, d) =>
    {
        var userId = await UserIdAsync(ctx, d);
        var count = 0;
        foreach (var k in kind is null ? [User, Dataset, Group, Organization] : new[] { kind })
            count += await Followees(ctx, k, userId, await ReadableOrAllAsync(ctx)).CountAsync(ctx.CancellationToken);
        return count;
    };

    private static async Task<JsonNode?> FolloweeList(ActionContext ctx, JsonObject d)
    {
        var userId = await UserIdAsync(ctx, d);
        var q = DataDict.String(d, "q")?.Trim().ToLowerInvariant();
        var items = new List<(string DisplayName, JsonObject Item)>();
        foreach (var kind in new[] { User, Dataset, Group, Organization })
            foreach (var node in await FolloweeDictsAsync(ctx, kind, userId))
            {
                var dict = node!.AsObject();
                var name = DisplayName(dict);
                if (q is { Length: > 0 } && !name.Trim().ToLowerInvariant().StartsWith(q, StringComparison.Ordinal)) continue;
                items.Add((name, new JsonObject { ["type"] = kind.Noun, ["display_name"] = name, ["dict"] = dict.DeepClone() }));
            }
        return new JsonArray(items.OrderBy(i => i.DisplayName, StringComparer.Ordinal).Select(i => (JsonNode?)i.Item).ToArray());
    }

    private static ActionHandler FolloweeListOf(Kind kind) => async (ctx, d) =>
        await FolloweeDictsAsync(ctx, kind, await UserIdAsync(ctx, d));

    /// <summary>CKAN's display name of a followed object: display_name, fullname, title or name, the first given.</summary>
    private static string DisplayName(JsonObject dict) =>
        new[] { "display_name", "fullname", "title", "name" }
            .Select(k => dict[k] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)
            .FirstOrDefault(s => !string.IsNullOrEmpty(s)) ?? "";

    /// <summary>The ids of what the user follows of a kind, alive, and for datasets only those the caller may read.</summary>
    private static IQueryable<string> Followees(ActionContext ctx, Kind kind, string userId, IQueryable<Package> readable)
    {
        var ids = Following.Live(ctx.Db, kind.Table).Where(f => f.FollowerId == userId).Select(f => f.ObjectId);
        return kind.Table switch
        {
            FollowedType.Dataset => readable.Where(p => ids.Contains(p.Id)).Select(p => p.Id),
            FollowedType.Group => ctx.Db.Groups.Where(g => ids.Contains(g.Id) && g.IsOrganization == kind.IsOrganization).Select(g => g.Id),
            _ => ids,
        };
    }

    private static async Task<JsonArray> FolloweeDictsAsync(ActionContext ctx, Kind kind, string userId)
    {
        var ids = Followees(ctx, kind, userId, await ReadableOrAllAsync(ctx));
        var ct = ctx.CancellationToken;
        switch (kind.Table)
        {
            case FollowedType.Dataset:
                var packages = await ctx.Db.Packages.AsNoTracking().WithDetails().Where(p => ids.Contains(p.Id))
                    .OrderBy(p => p.Name).ToListAsync(ct);
                return await PackageLookup.DictizeManyAsync(ctx, packages);
            case FollowedType.Group:
                var groups = await ctx.Db.Groups.AsNoTracking().Include(g => g.Extras).Where(g => ids.Contains(g.Id))
                    .OrderBy(g => g.Name).ToListAsync(ct);
                var list = new JsonArray();
                foreach (var g in groups) list.Add(await GroupLookup.DictizeAsync(ctx, g, new GroupDictOptions(Users: false)));
                return list;
            default:
                var users = await ctx.Db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).OrderBy(u => u.Name).ToListAsync(ct);
                return await UserDictsAsync(ctx, users);
        }
    }

    /// <summary>User dicts as user_list gives them: e-mail only for the user themself and sysadmins.</summary>
    private static async Task<JsonArray> UserDictsAsync(ActionContext ctx, List<User> users)
    {
        var ids = users.Select(u => u.Id).ToList();
        var created = await ctx.Db.Packages
            .Where(p => p.State == ObjectState.Active && !p.Private && p.CreatorUserId != null && ids.Contains(p.CreatorUserId))
            .GroupBy(p => p.CreatorUserId!).Select(x => new { x.Key, Count = x.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ctx.CancellationToken);
        return new JsonArray(users.Select(u => (JsonNode?)UserDictizer.Dictize(u, created.GetValueOrDefault(u.Id),
            ctx.Caller.IsSysadmin || ctx.Caller.UserId == u.Id)).ToArray());
    }

    private static async Task<IQueryable<Package>> ReadableOrAllAsync(ActionContext ctx) =>
        Visibility.Readable(ctx.Db.Packages, await ctx.Authz.ReaderAsync(ctx.CancellationToken));

    /// <summary>
    /// The followed object's id, or CKAN's validation error "Not found: Dataset" (with the action's own message when
    /// it has one): a dataset the caller may not read, a group only its members may read (deleted) and a deleted user
    /// (but for sysadmins) are not found, so the answer is the same as for a name nobody uses.
    /// </summary>
    private static async Task<string> ObjectIdAsync(ActionContext ctx, Kind kind, JsonObject d, string? message = null)
    {
        var idOrName = DataDict.String(d, "id")?.Trim();
        var id = string.IsNullOrEmpty(idOrName) ? null : await FindReadableAsync(ctx, kind, idOrName);
        if (id is not null) return id;
        var errors = new JsonObject();
        if (message is not null) errors["message"] = message;
        errors["id"] = new JsonArray(string.IsNullOrEmpty(idOrName) ? "Missing value" : $"Not found: {kind.Label}");
        throw new ValidationException(errors);
    }

    private static async Task<string?> FindReadableAsync(ActionContext ctx, Kind kind, string idOrName)
    {
        var ct = ctx.CancellationToken;
        switch (kind.Table)
        {
            case FollowedType.Dataset:
                var p = await ctx.Db.Packages.AsNoTracking().Named(idOrName).FirstOrDefaultAsync(ct);
                return p is not null && await ctx.Authz.CanReadPackageAsync(p, ct) ? p.Id : null;
            case FollowedType.Group:
                // CKAN's convert_group_name_or_id_to_id: an organization's followers are a group's, by either name.
                var g = await ctx.Db.Groups.AsNoTracking().Named(idOrName).FirstOrDefaultAsync(ct);
                if (g is null) return null;
                return g.State == ObjectState.Active || await ctx.Authz.HasPermissionAsync(g.Id, Roles.Permission.Read, ct) ? g.Id : null;
            default:
                var u = await UserLookup.FindAsync(ctx.Db, idOrName, ct, tracking: false);
                return u is not null && (u.State != ObjectState.Deleted || ctx.Caller.IsSysadmin) ? u.Id : null;
        }
    }

    /// <summary>The user whose followees are asked for: by id or name, not deleted (but for sysadmins).</summary>
    private static async Task<string> UserIdAsync(ActionContext ctx, JsonObject d) =>
        await ObjectIdAsync(ctx, User, d);
}
