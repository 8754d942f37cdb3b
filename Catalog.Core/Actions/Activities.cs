using System.Globalization;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// The activity streams of datasets (CKAN's activity plugin), read from the change feed. A stream shows only what
/// its caller may read now: a dataset that became private or was deleted drops out of the public streams.
/// </summary>
public static class Activities
{
    private const int DefaultLimit = 31;
    private const int MaxLimit = 100;

    public static ActionRegistry AddActivityActions(this ActionRegistry r) => r
        .Read("package_activity_list", AuthRules.Anyone, PackageActivityList,
            "Return a dataset's activity stream, newest first. You must be allowed to read the dataset.\n\n:param id: the id or name of the dataset\n:param offset: (optional, default 0)\n:param limit: (optional, default 31, at most 100)\n:param after: (optional) only activities after this time (unix timestamp or ISO 8601)\n:param before: (optional) only activities before this time (unix timestamp or ISO 8601)\n:param include_hidden_activity: (optional, sysadmins only) include the catalog's own automated changes\n:param activity_types: (optional) only activities of these types\n:param exclude_activity_types: (optional) leave out activities of these types")
        .Read("recently_changed_packages_activity_list", AuthRules.Anyone, RecentlyChanged,
            "Return the activities of recently created or changed datasets, newest first.\n\n:param offset: (optional, default 0)\n:param limit: (optional, default 31, at most 100)");

    private static async Task<JsonNode?> PackageActivityList(ActionContext ctx, JsonObject d)
    {
        var types = DataDict.StringList(d, "activity_types");
        var excluded = DataDict.StringList(d, "exclude_activity_types");
        if (types is not null && excluded is not null)
            throw ValidationException.For("activity_types", "Cannot be used together with `exclude_activity_types");
        var idOrName = DataDict.Require(d, "id");
        var (offset, limit) = Paging(d);
        var after = Moment(d, "after");
        var before = Moment(d, "before");
        // CKAN's ignore_not_sysadmin: anyone else asking for hidden activity is quietly not given it.
        var includeHidden = ctx.Caller.IsSysadmin && DataDict.Bool(d, "include_hidden_activity", false);

        var objectId = await ReadableObjectIdAsync(ctx, idOrName);
        var q = ctx.Db.Activities.AsNoTracking().Where(a => a.ObjectType == "package" && a.ObjectId == objectId);
        if (!includeHidden) q = WithoutHidden(ctx, q);
        if (types is { Count: > 0 }) q = q.Where(a => types.Contains(a.ActivityType));
        else if (excluded is { Count: > 0 }) q = q.Where(a => !excluded.Contains(a.ActivityType));
        if (after is { } a0) q = q.Where(a => a.Timestamp > a0);
        if (before is { } b0) q = q.Where(a => a.Timestamp < b0);
        // "after" alone pages forward in time: the activities just after it, still returned newest first.
        return await PageAsync(ctx, q, offset, limit, oldestFirst: after is not null && before is null);
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
            && !await ctx.Db.Packages.AnyAsync(p => p.Id == idOrName || p.Name == idOrName, ctx.CancellationToken)
            && await ctx.Db.Activities.AnyAsync(a => a.ObjectType == "package" && a.ObjectId == idOrName, ctx.CancellationToken))
            return idOrName;
        return (await PackageLookup.ReadableAsync(ctx, idOrName)).Id;
    }

    /// <summary>CKAN hides the site user's changes (seeding, harvesting, sync): there are too many to be news.</summary>
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
    private static async Task<JsonNode?> PageAsync(ActionContext ctx, IQueryable<Activity> q, int offset, int limit, bool oldestFirst)
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
