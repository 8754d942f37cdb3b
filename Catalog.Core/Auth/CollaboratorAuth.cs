using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Auth;

/// <summary>Who may manage and list dataset collaborators (CKAN's auth package_collaborator_*).</summary>
public static class CollaboratorAuth
{
    /// <summary>create, delete and list: whoever may manage the dataset's collaborators (<see cref="Authorizer.CanManageCollaboratorsAsync"/>).</summary>
    public static AuthRule Manage(string what) => async (ctx, data) =>
    {
        if (!ctx.Caller.IsAuthenticated) throw AuthRules.Denied(ctx, what);
        var p = await FindPackageAsync(ctx, DataDict.Require(data, "id"));
        if (!await ctx.Authz.CanManageCollaboratorsAsync(p, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, what);
    };

    /// <summary>list_for_user: the user themself (and sysadmins).</summary>
    public static Task ListForUser(ActionContext ctx, JsonObject data)
    {
        var id = DataDict.Require(data, "id");
        if (ctx.Caller.IsSysadmin) return Task.CompletedTask;
        if (ctx.Caller.UserId is not null && (id == ctx.Caller.UserId || id == ctx.Caller.UserName)) return Task.CompletedTask;
        throw AuthRules.Denied(ctx, "list the datasets of user " + id);
    }

    public static async Task<Package> FindPackageAsync(ActionContext ctx, string idOrName) =>
        await ctx.Db.Packages.AsNoTracking().Named(idOrName).FirstOrDefaultAsync(ctx.CancellationToken)
        ?? throw new NotFoundException("Dataset not found");
}
