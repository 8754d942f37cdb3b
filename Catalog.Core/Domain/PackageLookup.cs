using System.Text.Json.Nodes;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>Loading datasets with everything their dict needs, and turning them into dicts.</summary>
public static class PackageLookup
{
    public static IQueryable<Package> WithDetails(this IQueryable<Package> query) => query
        .Include(p => p.Resources)
        .Include(p => p.Extras)
        .Include(p => p.Tags).ThenInclude(t => t.Tag)
        .Include(p => p.OwnerOrg).ThenInclude(o => o!.Extras)
        .AsSplitQuery();

    /// <summary>By id or name, any state; null when neither matches.</summary>
    public static Task<Package?> FindAsync(CatalogDbContext db, string idOrName, CancellationToken ct) =>
        db.Packages.WithDetails().Named(idOrName).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The dataset the caller may read, or CKAN's 404 / 403. The refusal names only what the caller asked for
    /// (<paramref name="asked"/>, default the dataset as given), so it never tells a dataset's id to someone who may not read it.
    /// </summary>
    public static async Task<Package> ReadableAsync(ActionContext ctx, string idOrName, string? asked = null)
    {
        var p = await FindAsync(ctx.Db, idOrName, ctx.CancellationToken) ?? throw new NotFoundException("Dataset");
        if (!await ctx.Authz.CanReadPackageAsync(p, ctx.CancellationToken))
            throw new NotAuthorizedException($"User {ctx.Caller.UserName ?? "not logged in"} not authorized to read {asked ?? "package " + idOrName}");
        return p;
    }

    public static async Task<Dictionary<string, List<Group>>> GroupsOfAsync(CatalogDbContext db, IReadOnlyCollection<string> packageIds, CancellationToken ct)
    {
        var rows = await db.Members.AsNoTracking()
            .Where(m => m.TableName == "package" && m.State == ObjectState.Active && packageIds.Contains(m.TableId))
            .Join(db.Groups.Where(g => !g.IsOrganization), m => m.GroupId, g => g.Id, (m, g) => new { m.TableId, Group = g })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.TableId).ToDictionary(g => g.Key, g => g.Select(r => r.Group).ToList());
    }

    public static async Task<JsonObject> DictizeAsync(ActionContext ctx, Package p)
    {
        var groups = await GroupsOfAsync(ctx.Db, [p.Id], ctx.CancellationToken);
        return ctx.Get<PackageDictizer>().Dictize(p, groups.GetValueOrDefault(p.Id) ?? []);
    }

    public static async Task<JsonArray> DictizeManyAsync(ActionContext ctx, IReadOnlyList<Package> packages)
    {
        var groups = await GroupsOfAsync(ctx.Db, packages.Select(p => p.Id).ToList(), ctx.CancellationToken);
        var dictizer = ctx.Get<PackageDictizer>();
        return new JsonArray(packages.Select(p => (JsonNode?)dictizer.Dictize(p, groups.GetValueOrDefault(p.Id) ?? [])).ToArray());
    }
}
