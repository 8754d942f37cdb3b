using System.Globalization;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// The activity streams (CKAN's activity plugin), read from the change feed. A stream shows only what its caller may
/// read now: a dataset that became private or was deleted drops out of the streams of those who may not read it.
/// </summary>
public static class Activities
{
    private const int DefaultLimit = 31;
    private const int MaxLimit = 100;

    private const string PagingHelp =
        "\n:param offset: (optional, default 0)\n:param limit: (optional, default 31, at most 100)\n:param after: (optional) only activities after this time (unix timestamp or ISO 8601)\n:param before: (optional) only activities before this time (unix timestamp or ISO 8601)";

    private const string FilterHelp =
        "\n:param include_hidden_activity: (optional, sysadmins only) include the catalog's own automated changes\n:param activity_types: (optional) only activities of these types\n:param exclude_activity_types: (optional) leave out activities of these types";

    public static ActionRegistry AddActivityActions(this ActionRegistry r) => r
        .Read("package_activity_list", AuthRules.Anyone, PackageActivityList,
            "Return a dataset's activity stream, newest first. You must be allowed to read the dataset.\n\n:param id: the id or name of the dataset" + PagingHelp + FilterHelp)
        .Read("organization_activity_list", AuthRules.Anyone, GroupActivityList(GroupKind.Organization),
            "Return an organization's activity stream, newest first: changes of the organization and of the datasets it owns that you may read. You must be allowed to read the organization.\n\n:param id: the id or name of the organization" + PagingHelp + FilterHelp)
        .Read("group_activity_list", AuthRules.Anyone, GroupActivityList(GroupKind.Group),
            "Return a group's activity stream, newest first: changes of the group and of its datasets that you may read. You must be allowed to read the group.\n\n:param id: the id or name of the group" + PagingHelp + FilterHelp)
        .Read("user_activity_list", ActivityAuth.User, UserActivityList,
            "Return the activity stream of a user's changes, newest first, leaving out those on objects you may not read. Anonymous callers are refused unless Catalog:Auth:PublicUserDetails is on.\n\n:param id: the id or name of the user" + PagingHelp + FilterHelp)
        .Read("dashboard_activity_list", ActivityAuth.Dashboard, DashboardActivityList,
            "Return your dashboard's activity stream, newest first: your own changes, and those of the organizations you belong to and of their datasets (the catalog has no followers: belonging stands for following). Logged-in users only. is_new is always false: the catalog does not record when you last looked." + PagingHelp)
        .Read("recently_changed_packages_activity_list", AuthRules.Anyone, RecentlyChanged,
            "Return the activities of recently created or changed datasets, newest first.\n\n:param offset: (optional, default 0)\n:param limit: (optional, default 31, at most 100)");

    /// <summary>The parameters the streams share (CKAN's default_activity_list_schema).</summary>
    private sealed record StreamRequest(
        int Offset, int Limit, DateTime? After, DateTime? Before, bool IncludeHidden, List<string>? Types, List<string>? Excluded)
    {
        /// <summary>"after" alone pages forward in time: the activities just after it, still returned newest first.</summary>
        public bool OldestFirst => After is not null && Before is null;

        public static StreamRequest Parse(ActionContext ctx, JsonObject d, bool filters = true)
        {
            var types = filters ? DataDict.StringList(d, "activity_types") : null;
            var excluded = filters ? DataDict.StringList(d, "exclude_activity_types") : null;
            if (types is not null && excluded is not null)
                throw ValidationException.For("activity_types", "Cannot be used together with `exclude_activity_types");
            var (offset, limit) = Paging(d);
            return new StreamRequest(offset, limit, Moment(d, "after"), Moment(d, "before"),
                // CKAN's ignore_not_sysadmin: anyone else asking for hidden activity is quietly not given it.
                filters && ctx.Caller.IsSysadmin && DataDict.Bool(d, "include_hidden_activity", false),
                types, excluded);
        }

        public IQueryable<Activity> Apply(ActionContext ctx, IQueryable<Activity> q)
        {
            if (!IncludeHidden) q = WithoutHidden(ctx, q);
            if (Types is { Count: > 0 } types) q = q.Where(a => types.Contains(a.ActivityType));
            else if (Excluded is { Count: > 0 } excluded) q = q.Where(a => !excluded.Contains(a.ActivityType));
            if (After is { } after) q = q.Where(a => a.Timestamp > after);
            if (Before is { } before) q = q.Where(a => a.Timestamp < before);
            return q;
        }

        public Task<JsonArray> PageAsync(ActionContext ctx, IQueryable<Activity> q) =>
            Activities.PageAsync(ctx, q, Offset, Limit, OldestFirst);
    }

    private static async Task<JsonNode?> PackageActivityList(ActionContext ctx, JsonObject d)
    {
        var stream = StreamRequest.Parse(ctx, d);
        var objectId = await ReadableObjectIdAsync(ctx, DataDict.Require(d, "id"));
        var q = ctx.Db.Activities.AsNoTracking().Where(a => a.ObjectType == "package" && a.ObjectId == objectId);
        return await stream.PageAsync(ctx, stream.Apply(ctx, q));
    }

    /// <summary>
    /// The organization's or group's own changes and those of its datasets now (as in CKAN, a dataset's past in
    /// another organization comes along, and its time here goes when it leaves). Unlike CKAN, members also see the
    /// activity of their organization's private datasets; nobody else does.
    /// </summary>
    private static ActionHandler GroupActivityList(GroupKind kind) => async (ctx, d) =>
    {
        var stream = StreamRequest.Parse(ctx, d);
        var g = await GroupLookup.ReadableAsync(ctx, DataDict.Require(d, "id"), kind);
        var datasets = GroupLookup.DatasetsOf(ctx.Db, await ReadableOrAllAsync(ctx), g).Select(p => p.Id);
        var q = ctx.Db.Activities.AsNoTracking().Where(a =>
            (a.ObjectType == kind.Noun && a.ObjectId == g.Id) || (a.ObjectType == "package" && datasets.Contains(a.ObjectId)));
        return await stream.PageAsync(ctx, stream.Apply(ctx, q));
    };

    private static async Task<JsonNode?> UserActivityList(ActionContext ctx, JsonObject d)
    {
        var stream = StreamRequest.Parse(ctx, d);
        var user = await UserLookup.FindAsync(ctx.Db, DataDict.Require(d, "id"), ctx.CancellationToken, tracking: false);
        if (user is null || (user.State == ObjectState.Deleted && !ctx.Caller.IsSysadmin)) throw new NotFoundException("User not found");
        // CKAN's stream is what the user did and what was done to them; users are not in the feed, so only the former.
        var q = ctx.Db.Activities.AsNoTracking().Where(a => a.UserId == user.Id);
        return await stream.PageAsync(ctx, await ReadableAsync(ctx, stream.Apply(ctx, q)));
    }

    /// <summary>
    /// CKAN's dashboard is the caller's own activity and that of what they follow. Nothing is followed here, so the
    /// organizations the caller belongs to stand for it: their changes and those of their datasets.
    /// </summary>
    private static async Task<JsonNode?> DashboardActivityList(ActionContext ctx, JsonObject d)
    {
        var stream = StreamRequest.Parse(ctx, d, filters: false);
        var self = ctx.Caller.UserId!;
        var orgs = ctx.Db.Members
            .Where(m => m.TableName == Memberships.User && m.TableId == self && m.State == ObjectState.Active)
            .Join(ctx.Db.Groups.Where(g => g.IsOrganization), m => m.GroupId, g => g.Id, (m, g) => g.Id);
        var orgDatasets = ctx.Db.Packages.Where(p => p.OwnerOrgId != null && orgs.Contains(p.OwnerOrgId)).Select(p => p.Id);
        var q = ctx.Db.Activities.AsNoTracking().Where(a => a.UserId == self
            || (a.ObjectType == GroupKind.Organization.Noun && orgs.Contains(a.ObjectId))
            || (a.ObjectType == "package" && orgDatasets.Contains(a.ObjectId)));
        var list = await stream.PageAsync(ctx, await ReadableAsync(ctx, stream.Apply(ctx, q)));
        foreach (var a in list) a!["is_new"] = false;
        return list;
    }

    private static async Task<JsonNode?> RecentlyChanged(ActionContext ctx, JsonObject d)
    {
        var (offset, limit) = Paging(d);
        var q = ctx.Db.Activities.AsNoTracking().Where(a => a.ObjectType == "package");
        if (!ctx.Caller.IsSysadmin)
        {
            var readable = await Visibility.ReadableActiveAsync(ctx);
            q = q.Where(a => readable.Any(p => p.Id == a.ObjectId));
        }
        return await PageAsync(ctx, WithoutHidden(ctx, q), offset, limit, oldestFirst: false);
    }

    /// <summary>
    /// The dataset's id when the caller may read it (CKAN's 404 / 403 otherwise). A purged dataset lives on only
    /// in the feed, and only sysadmins may still read its stream, by id.
    /// </summary>
    private static async Task<string> ReadableObjectIdAsync(ActionContext ctx, string idOrName)
    {
        if (ctx.Caller.IsSysadmin
            && !await ctx.Db.Packages.Named(idOrName).AnyAsync(ctx.CancellationToken)
            && await ctx.Db.Activities.AnyAsync(a => a.ObjectType == "package" && a.ObjectId == idOrName, ctx.CancellationToken))
            return idOrName;
        return (await PackageLookup.ReadableAsync(ctx, idOrName)).Id;
    }

    /// <summary>The datasets whose activity the caller may see: those they may read, or for sysadmins every one kept.</summary>
    private static async Task<IQueryable<Package>> ReadableOrAllAsync(ActionContext ctx) =>
        ctx.Caller.IsSysadmin ? ctx.Db.Packages : await Visibility.ReadableActiveAsync(ctx);

    /// <summary>
    /// A stream over many objects, cut to what the caller may read: a dataset's activity while they may read the
    /// dataset, an organization's or group's while it is active or they belong to it (group_show's rule).
    /// </summary>
    private static async Task<IQueryable<Activity>> ReadableAsync(ActionContext ctx, IQueryable<Activity> q)
    {
        if (ctx.Caller.IsSysadmin) return q;
        var datasets = await Visibility.ReadableActiveAsync(ctx);
        var memberOf = await ctx.Authz.GroupsWithPermissionAsync(Roles.Permission.Read, ctx.CancellationToken);
        var groups = ctx.Db.Groups.Where(g => g.State == ObjectState.Active || memberOf.Contains(g.Id));
        return q.Where(a => (a.ObjectType == "package" && datasets.Any(p => p.Id == a.ObjectId))
            || (a.ObjectType != "package" && groups.Any(g => g.Id == a.ObjectId)));
    }

    /// <summary>CKAN hides the site user's changes (seeding and other in-process jobs): there are too many to be news.</summary>
    private static IQueryable<Activity> WithoutHidden(ActionContext ctx, IQueryable<Activity> q) =>
        q.Where(a => a.UserId == null || !ctx.Db.Users.Any(u => u.Id == a.UserId && u.Name == SiteUser.Name));

    private static (int Offset, int Limit) Paging(JsonObject d)
    {
        var offset = DataDict.Int(d, "offset", 0, min: 0);
        var limit = DataDict.Int(d, "limit", DefaultLimit, min: 0, max: MaxLimit);
        // CKAN reads limit 0 as "no limit", which its maximum then bounds.
        return (offset, limit == 0 ? MaxLimit : limit);
    }

    /// <summary>Ordered by the feed's sequence, which is the order the changes were committed in.</summary>
    private static async Task<JsonArray> PageAsync(ActionContext ctx, IQueryable<Activity> q, int offset, int limit, bool oldestFirst)
    {
        q = oldestFirst ? q.OrderBy(a => a.Seq) : q.OrderByDescending(a => a.Seq);
        var rows = await q.Skip(offset).Take(limit)
            .Select(a => new { Activity = a, Actor = ctx.Db.Users.Where(u => u.Id == a.UserId).Select(u => u.Name).FirstOrDefault() })
            .ToListAsync(ctx.CancellationToken);
        if (oldestFirst) rows.Reverse();
        return new JsonArray(rows.Select(r => (JsonNode?)ActivityDictizer.Dictize(r.Activity, r.Actor)).ToArray());
    }

    /// <summary>A point in time given as unix seconds (CKAN's activity pages) or as ISO 8601.</summary>
    private static DateTime? Moment(JsonObject d, string key)
    {
        if (DataDict.String(d, key)?.Trim() is not { Length: > 0 } s) return null;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (!double.IsFinite(seconds) || seconds < -62_135_596_800d || seconds > 253_402_300_799d)
                throw ValidationException.For(key, "Date format incorrect");
            return Timestamps.Truncate(DateTime.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)));
        }
        return Timestamps.TryParse(s, out var t) ? t : throw ValidationException.For(key, "Date format incorrect");
    }
}
