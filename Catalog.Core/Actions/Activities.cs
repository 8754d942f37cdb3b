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
public static partial class Activities
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
            "Return your dashboard's activity stream, newest first: your own changes, those of the users you follow, of the datasets, groups and organizations you follow (with their datasets), and of the organizations you belong to and their datasets; only what you may read. Logged-in users only. is_new marks activities by others since you last called dashboard_mark_activities_old." + PagingHelp)
        .Read("dashboard_new_activities_count", ActivityAuth.Dashboard, DashboardNewActivitiesCount,
            "Return how many activities of your dashboard's first page (the default 31, or limit) are new: by others, since you last called dashboard_mark_activities_old. Logged-in users only." + PagingHelp)
        .Write("dashboard_mark_activities_old", ActivityAuth.Dashboard, DashboardMarkActivitiesOld,
            "Mark every activity of your dashboard as seen: dashboard_new_activities_count becomes 0. Logged-in users only.")
        .Read("activity_show", AuthRules.Anyone, ActivityShow,
            "Return one activity, with the snapshot of its object. You must be allowed to read the object.\n\n:param id: the id of the activity")
        .Read("activity_data_show", AuthRules.Anyone, ActivityDataShow,
            "Return the snapshot an activity recorded, without who and when. You must be allowed to read the object.\n\n:param id: the id of the activity\n:param object_type: (optional) package, group, organization or user: only that object's dict")
        .Read("activity_diff", AuthRules.Anyone, ActivityDiff,
            "Return the difference between an activity's object and the object as the previous activity of the same object recorded, as {diff, activities: [previous, this]}. The objects are written as JSON with sorted keys and two-space indents (Japanese kept as written), then compared line by line as Python's difflib does. You must be allowed to read the object.\n\n:param id: the id of the activity\n:param object_type: package, group, organization or user\n:param diff_type: (optional, default unified) unified or context (html is not offered here)")
        .Write("activity_create", AuthRules.Sysadmin, ActivityCreate,
            "Add an activity to the stream of a dataset, group, organization or user (sysadmins only). It is appended to the change feed like any change.\n\n:param user_id: the id or name of the user who carried out the activity\n:param object_id: the id or name of the object\n:param activity_type: new, changed or deleted, then package, group, organization or user (e.g. \"changed package\")\n:param data: (optional) a dict recorded with the activity")
        .Write("send_email_notifications", AuthRules.Sysadmin, SendEmailNotifications,
            "Send pending activity notification e-mails. Sysadmins only. Not available here: the catalog sends no e-mail, and a Validation Error says so, as CKAN does when ckan.activity_streams_email_notifications is off.")
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
    /// CKAN's dashboard: the caller's own activity and that of what they follow (users; datasets; groups and
    /// organizations with their datasets). The organizations the caller belongs to count as followed too, as they
    /// did before following existed here.
    /// </summary>
    private static async Task<JsonNode?> DashboardActivityList(ActionContext ctx, JsonObject d)
    {
        var stream = StreamRequest.Parse(ctx, d, filters: false);
        var self = ctx.Caller.UserId!;
        var db = ctx.Db;
        var orgs = db.Members
            .Where(m => m.TableName == Memberships.User && m.TableId == self && m.State == ObjectState.Active)
            .Join(db.Groups.Where(g => g.IsOrganization), m => m.GroupId, g => g.Id, (m, g) => g.Id);
        var users = Following.FolloweeIds(db, self, FollowedType.User);
        var datasets = Following.FolloweeIds(db, self, FollowedType.Dataset);
        var groups = Following.FolloweeIds(db, self, FollowedType.Group);
        var groupDatasets = db.Packages.Where(p =>
            (p.OwnerOrgId != null && (orgs.Contains(p.OwnerOrgId) || groups.Contains(p.OwnerOrgId)))
            || db.Members.Any(m => m.TableName == "package" && m.TableId == p.Id && m.State == ObjectState.Active && groups.Contains(m.GroupId)))
            .Select(p => p.Id);
        var q = db.Activities.AsNoTracking().Where(a => a.UserId == self
            || (a.UserId != null && users.Contains(a.UserId))
            || (a.ObjectType == GroupKind.Organization.Noun && orgs.Contains(a.ObjectId))
            || ((a.ObjectType == GroupKind.Organization.Noun || a.ObjectType == GroupKind.Group.Noun) && groups.Contains(a.ObjectId))
            || (a.ObjectType == "package" && (datasets.Contains(a.ObjectId) || groupDatasets.Contains(a.ObjectId))));
        var list = await stream.PageAsync(ctx, await ReadableAsync(ctx, stream.Apply(ctx, q)));
        var lastViewed = await LastViewedAsync(ctx);
        foreach (var a in list)
            a!["is_new"] = a["user_id"]?.GetValue<string>() != self
                && Timestamps.TryParse(a["timestamp"]!.GetValue<string>(), out var t) && t > lastViewed;
        return list;
    }

    /// <summary>When the caller last marked their dashboard as seen; never: when their account was made (CKAN's default).</summary>
    private static async Task<DateTime> LastViewedAsync(ActionContext ctx)
    {
        var self = ctx.Caller.UserId!;
        var seen = await ctx.Db.Dashboards.AsNoTracking().Where(x => x.UserId == self)
            .Select(x => (DateTime?)x.ActivityStreamLastViewed).FirstOrDefaultAsync(ctx.CancellationToken);
        return seen ?? await ctx.Db.Users.Where(u => u.Id == self).Select(u => u.Created).FirstOrDefaultAsync(ctx.CancellationToken);
    }

    /// <summary>CKAN counts the new ones among the dashboard's first page, so the count never exceeds the page.</summary>
    private static async Task<JsonNode?> DashboardNewActivitiesCount(ActionContext ctx, JsonObject d)
    {
        var list = (JsonArray)(await DashboardActivityList(ctx, d))!;
        return list.Count(a => a!["is_new"]!.GetValue<bool>());
    }

    private static async Task<JsonNode?> DashboardMarkActivitiesOld(ActionContext ctx, JsonObject d)
    {
        var self = ctx.Caller.UserId!;
        var dashboard = await ctx.Db.Dashboards.FirstOrDefaultAsync(x => x.UserId == self, ctx.CancellationToken);
        if (dashboard is null)
            ctx.Db.Dashboards.Add(new Dashboard { UserId = self, ActivityStreamLastViewed = ctx.Now, EmailLastSent = ctx.Now });
        else dashboard.ActivityStreamLastViewed = ctx.Now;
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return null;
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
