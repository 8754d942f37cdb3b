using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>What an organization or group dict carries beyond its own fields (the include_* parameters).</summary>
public sealed record GroupDictOptions(bool DatasetCount = true, bool Extras = true, bool Users = true, bool Datasets = false)
{
    public static readonly GroupDictOptions Show = new();
    /// <summary>The change feed's copy: no members and no counts, which depend on who made the change.</summary>
    public static readonly GroupDictOptions Snapshot = new(DatasetCount: false, Users: false);
}

/// <summary>Loading organizations and groups, what the caller may see of their datasets, and their dicts.</summary>
public static class GroupLookup
{
    /// <summary>CKAN's group_show default for include_datasets (the package_search default page).</summary>
    public const int ShownDatasets = 10;

    /// <summary>By id or name, any state, tracked with its extras; null when none of this kind matches.</summary>
    public static Task<Group?> FindAsync(CatalogDbContext db, string idOrName, GroupKind kind, CancellationToken ct) =>
        db.Groups.Include(g => g.Extras)
            .Named(idOrName).FirstOrDefaultAsync(g => g.IsOrganization == kind.IsOrganization, ct);

    public static async Task<Group> RequireAsync(ActionContext ctx, string idOrName, GroupKind kind) =>
        await FindAsync(ctx.Db, idOrName, kind, ctx.CancellationToken) ?? throw new NotFoundException(kind.NotFoundMessage);

    /// <summary>CKAN's group_show rule: active ones are public, deleted ones only for those who may read them.</summary>
    public static async Task<Group> ReadableAsync(ActionContext ctx, string idOrName, GroupKind kind)
    {
        var g = await RequireAsync(ctx, idOrName, kind);
        if (g.State != ObjectState.Active && !await ctx.Authz.HasPermissionAsync(g.Id, Roles.Permission.Read, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"read {kind.Noun} {g.Id}");
        return g;
    }

    /// <summary>Datasets of an organization are those it owns; those of a group are its package members.</summary>
    public static IQueryable<Package> DatasetsOf(CatalogDbContext db, IQueryable<Package> visible, Group g) =>
        g.IsOrganization
            ? visible.Where(p => p.OwnerOrgId == g.Id)
            : visible.Where(p => db.Members.Any(m =>
                m.GroupId == g.Id && m.TableName == "package" && m.TableId == p.Id && m.State == ObjectState.Active));

    /// <summary>package_count for many at once, counting only what the caller may see.</summary>
    public static Task<Dictionary<string, int>> PackageCountsAsync(ActionContext ctx, IReadOnlyCollection<string> groupIds) =>
        ctx.Get<IPackageCounter>().CountAsync(ctx, groupIds);

    /// <summary>The members of each group who are active users, as user dicts with their role as <c>capacity</c>.</summary>
    public static async Task<Dictionary<string, JsonArray>> UsersAsync(ActionContext ctx, IReadOnlyCollection<string> groupIds)
    {
        var ct = ctx.CancellationToken;
        var rows = await ctx.Db.Members.AsNoTracking()
            .Where(m => m.TableName == "user" && m.State == ObjectState.Active && groupIds.Contains(m.GroupId))
            .Join(ctx.Db.Users.AsNoTracking().Where(u => u.State == ObjectState.Active), m => m.TableId, u => u.Id,
                (m, u) => new { m.GroupId, m.Capacity, User = u })
            .ToListAsync(ct);
        var userIds = rows.Select(r => r.User.Id).Distinct().ToList();
        // CKAN's number_created_packages in this context counts public, active datasets only.
        var created = await ctx.Db.Packages
            .Where(p => p.State == ObjectState.Active && !p.Private && p.CreatorUserId != null && userIds.Contains(p.CreatorUserId))
            .GroupBy(p => p.CreatorUserId!).Select(x => new { x.Key, Count = x.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return groupIds.ToDictionary(id => id, id => new JsonArray(rows.Where(r => r.GroupId == id)
            .OrderBy(r => r.User.Name, StringComparer.Ordinal)
            .Select(r =>
            {
                var includeEmail = ctx.Caller.IsSysadmin || ctx.Caller.UserId == r.User.Id;
                var dict = UserDictizer.Dictize(r.User, created.GetValueOrDefault(r.User.Id), includeEmail);
                dict["capacity"] = r.Capacity;
                return (JsonNode?)dict;
            }).ToArray()));
    }

    /// <summary>The organization_show / group_show dict.</summary>
    public static async Task<JsonObject> DictizeAsync(ActionContext ctx, Group g, GroupDictOptions o)
    {
        var count = o.DatasetCount ? (await PackageCountsAsync(ctx, [g.Id])).GetValueOrDefault(g.Id) : 0;
        var dict = GroupDictizer.Dictize(g, count, o.Extras);
        if (!o.DatasetCount) dict.Remove("package_count");
        // Group hierarchies and group tags are not kept; the keys stay for clients that read them.
        dict["groups"] = new JsonArray();
        dict["tags"] = new JsonArray();
        if (o.Users) dict["users"] = (await UsersAsync(ctx, [g.Id]))[g.Id];
        if (o.Datasets)
        {
            var packages = await DatasetsOf(ctx.Db, await Visibility.ReadableActiveAsync(ctx), g).WithDetails()
                .OrderByDescending(p => p.MetadataModified).Take(ShownDatasets).ToListAsync(ctx.CancellationToken);
            dict["packages"] = await PackageLookup.DictizeManyAsync(ctx, packages);
        }
        return dict;
    }
}
