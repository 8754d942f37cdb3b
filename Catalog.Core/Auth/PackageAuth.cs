using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Auth;

/// <summary>Who may create, change and delete datasets and their resources (CKAN's auth/create|update|delete).</summary>
public static class PackageAuth
{
    public static async Task Create(ActionContext ctx, JsonObject data)
    {
        if (!ctx.Caller.IsAuthenticated) throw AuthRules.Denied(ctx, "create a dataset");
        if (ctx.Caller.IsSysadmin) return;
        var ownerOrg = data["owner_org"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (ownerOrg is { Length: > 0 })
        {
            var org = await ctx.Db.Groups.AsNoTracking()
                .Named(ownerOrg).FirstOrDefaultAsync(g => g.IsOrganization, ctx.CancellationToken);
            // An unknown organization is a validation error, reported by the handler.
            if (org is not null && !await ctx.Authz.HasPermissionAsync(org.Id, Roles.Permission.CreateDataset, ctx.CancellationToken))
                throw AuthRules.Denied(ctx, $"add dataset to organization {org.Name}");
            return;
        }
        if ((await ctx.Authz.GroupsWithPermissionAsync(Roles.Permission.CreateDataset, ctx.CancellationToken)).Count == 0)
            throw AuthRules.Denied(ctx, "create a dataset");
    }

    public static Task Update(ActionContext ctx, JsonObject data) => Require(ctx, data, "id", Roles.Permission.UpdateDataset, "edit package");

    public static Task Delete(ActionContext ctx, JsonObject data) => Require(ctx, data, "id", Roles.Permission.DeleteDataset, "delete package");

    /// <summary>Resources are edited by whoever may edit their dataset.</summary>
    public static async Task ResourceCreate(ActionContext ctx, JsonObject data)
    {
        var packageId = DataDict.Require(data, "package_id");
        var p = await Find(ctx, packageId);
        await Check(ctx, p, Roles.Permission.UpdateDataset, "edit package");
    }

    public static Task ResourceUpdate(ActionContext ctx, JsonObject data) => ResourceEdit(ctx, data, "id");

    /// <summary>Validating and fixing a resource's file (resource_validation_*, resource_table_fix): editing its dataset.</summary>
    public static Task ResourceValidate(ActionContext ctx, JsonObject data) => ResourceEdit(ctx, data, "resource_id");

    private static async Task ResourceEdit(ActionContext ctx, JsonObject data, string key)
    {
        var id = DataDict.Require(data, key);
        var packageId = await ctx.Db.Resources.AsNoTracking().Where(r => r.Id == id && r.State != ObjectState.Deleted)
            .Select(r => r.PackageId).FirstOrDefaultAsync(ctx.CancellationToken) ?? throw new NotFoundException("Resource was not found.");
        await Check(ctx, await Find(ctx, packageId), Roles.Permission.UpdateDataset, "edit package");
    }

    /// <summary>Moving a dataset needs the right to edit it here and to create datasets there.</summary>
    public static async Task OwnerOrgUpdate(ActionContext ctx, JsonObject data)
    {
        await Update(ctx, data);
        var orgRef = DataDict.Require(data, "organization_id");
        var org = await ctx.Db.Groups.AsNoTracking().Named(orgRef).FirstOrDefaultAsync(g => g.IsOrganization, ctx.CancellationToken)
            ?? throw new NotFoundException("Organization was not found.");
        if (!await ctx.Authz.HasPermissionAsync(org.Id, Roles.Permission.CreateDataset, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"add dataset to organization {org.Name}");
    }

    /// <summary>bulk_update_*: organization admins (CKAN's "update" permission on the organization).</summary>
    public static async Task Bulk(ActionContext ctx, JsonObject data)
    {
        var orgRef = DataDict.Require(data, "org_id");
        var org = await ctx.Db.Groups.AsNoTracking().Named(orgRef).FirstOrDefaultAsync(g => g.IsOrganization, ctx.CancellationToken)
            ?? throw new NotFoundException("Organization was not found.");
        if (!await ctx.Authz.HasPermissionAsync(org.Id, Roles.Permission.Update, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"bulk update datasets of {org.Name}");
    }

    private static async Task Require(ActionContext ctx, JsonObject data, string key, string permission, string what)
    {
        var p = await Find(ctx, DataDict.Require(data, key));
        await Check(ctx, p, permission, what);
    }

    private static async Task<Package> Find(ActionContext ctx, string idOrName) =>
        await ctx.Db.Packages.AsNoTracking().Named(idOrName).FirstOrDefaultAsync(ctx.CancellationToken)
        ?? throw new NotFoundException("Dataset was not found.");

    private static async Task Check(ActionContext ctx, Package p, string permission, string what)
    {
        if (!await ctx.Authz.HasPackagePermissionAsync(p, permission, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"{what} {p.Id}");
    }
}
