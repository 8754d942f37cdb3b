using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Auth;

/// <summary>
/// Who may create, change and delete organizations and groups and their members (CKAN's defaults: only sysadmins
/// create them; their admins edit, delete and manage members; any member may add datasets to a group).
/// </summary>
public static class GroupAuth
{
    public static AuthRule Create(GroupKind kind) => (ctx, _) =>
        ctx.Caller.IsSysadmin ? Task.CompletedTask : throw AuthRules.Denied(ctx, $"create {kind.Noun}s");

    public static AuthRule Update(GroupKind kind) => (ctx, d) => Require(ctx, d, "id", kind, Roles.Permission.Update, "edit");

    public static AuthRule Delete(GroupKind kind) => (ctx, d) => Require(ctx, d, "id", kind, Roles.Permission.Delete, "delete");

    /// <summary>organization_member_create / _delete and the group equivalents.</summary>
    public static AuthRule Membership(GroupKind kind) => (ctx, d) => Require(ctx, d, "id", kind, Roles.Permission.Membership, "manage members of");

    /// <summary>
    /// member_create / member_delete: users need the right to change the group itself; datasets only a role in a
    /// group (CKAN's manage_group), never through an organization.
    /// </summary>
    public static async Task Member(ActionContext ctx, JsonObject data)
    {
        var id = DataDict.Require(data, "id");
        var g = await ctx.Db.Groups.AsNoTracking().Named(id).FirstOrDefaultAsync(ctx.CancellationToken)
            ?? throw new NotFoundException("Group was not found.");
        var permission = !g.IsOrganization && DataDict.String(data, "object_type") == "package"
            ? Roles.Permission.ManageGroup
            : Roles.Permission.Update;
        if (!await ctx.Authz.HasPermissionAsync(g.Id, permission, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"edit group {g.Id}");
    }

    private static async Task Require(ActionContext ctx, JsonObject data, string key, GroupKind kind, string permission, string what)
    {
        var idOrName = DataDict.Require(data, key);
        var g = await ctx.Db.Groups.AsNoTracking()
            .Named(idOrName).FirstOrDefaultAsync(x => x.IsOrganization == kind.IsOrganization, ctx.CancellationToken)
            ?? throw new NotFoundException(kind.NotFoundMessage);
        if (!await ctx.Authz.HasPermissionAsync(g.Id, permission, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"{what} {kind.Noun} {g.Id}");
    }
}
