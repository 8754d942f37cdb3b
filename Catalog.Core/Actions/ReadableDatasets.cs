using Catalog.Core.Auth;
using Catalog.Core.Store;

namespace Catalog.Core.Actions;

/// <summary>
/// The datasets a caller may see, as a query, for lists built straight from the store (tags, activity):
/// what those lists show must never outrun what package_show would let the same caller read.
/// </summary>
public static class ReadableDatasets
{
    public static IQueryable<Package> Public(CatalogDbContext db) =>
        db.Packages.Where(p => p.State == ObjectState.Active && !p.Private);

    /// <summary>Active datasets: the public ones, the private ones of organizations the caller may read, all for sysadmins.</summary>
    public static async Task<IQueryable<Package>> ActiveAsync(ActionContext ctx)
    {
        var active = ctx.Db.Packages.Where(p => p.State == ObjectState.Active);
        if (ctx.Caller.IsSysadmin) return active;
        var orgs = await ctx.Authz.GroupsWithPermissionAsync(Roles.Permission.Read, ctx.CancellationToken);
        if (orgs.Count == 0) return active.Where(p => !p.Private);
        return active.Where(p => !p.Private || (p.OwnerOrgId != null && orgs.Contains(p.OwnerOrgId)));
    }
}
