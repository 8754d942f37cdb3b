using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Microsoft.Extensions.Options;

namespace Catalog.Core.Auth;

/// <summary>
/// Who may create, change and list users and their API tokens (CKAN's auth for user_* and api_token_*):
/// accounts are created by sysadmins only (ckan.auth.create_user_via_api = false); a user manages their own
/// profile and tokens, a sysadmin everyone's.
/// </summary>
public static class UserAuth
{
    public static Task Create(ActionContext ctx, JsonObject data) =>
        ctx.Caller.IsSysadmin ? Task.CompletedTask : throw AuthRules.Denied(ctx, "create users via the API");

    /// <summary>
    /// Filtering by e-mail would let anyone probe for addresses, so it is a sysadmin's filter. Anonymous callers list
    /// users only with <c>Catalog:Auth:PublicUserDetails</c> (CKAN's ckan.auth.public_user_details).
    /// </summary>
    public static Task List(ActionContext ctx, JsonObject data) =>
        !ctx.Caller.IsSysadmin && !string.IsNullOrEmpty(DataDict.String(data, "email"))
            ? throw AuthRules.Denied(ctx, "filter users by e-mail")
            : RestrictAnonymous(ctx, "list users");

    /// <summary>user_show and user_activity_list: as user_list, anonymous callers only when user details are public.</summary>
    public static Task Show(ActionContext ctx, JsonObject data) => RestrictAnonymous(ctx, "see user details");

    private static Task RestrictAnonymous(ActionContext ctx, string what) =>
        ctx.Caller.IsAuthenticated || ctx.Get<IOptions<CatalogOptions>>().Value.Auth.PublicUserDetails
            ? Task.CompletedTask
            : throw AuthRules.Denied(ctx, what);

    public static async Task Update(ActionContext ctx, JsonObject data)
    {
        var user = await ManagedUserAsync(ctx, DataDict.Require(data, "id"), "User was not found.");
        if (!IsSelfOrSysadmin(ctx, user)) throw AuthRules.Denied(ctx, $"edit user {user.Name}");
    }

    public static async Task Delete(ActionContext ctx, JsonObject data)
    {
        var user = await ManagedUserAsync(ctx, DataDict.Require(data, "id"), "User was not found.");
        if (!ctx.Caller.IsSysadmin) throw AuthRules.Denied(ctx, $"delete user {user.Name}");
    }

    public static async Task TokenCreate(ActionContext ctx, JsonObject data)
    {
        var user = await ManagedUserAsync(ctx, DataDict.Require(data, "user"), "User not found");
        if (!IsSelfOrSysadmin(ctx, user)) throw AuthRules.Denied(ctx, $"create API tokens for user {user.Name}");
    }

    public static async Task TokenList(ActionContext ctx, JsonObject data)
    {
        var user = await UserLookup.FindAsync(ctx.Db, UserLookup.TokenOwnerRef(data), ctx.CancellationToken, tracking: false)
            ?? throw new NotFoundException("User not found");
        if (!IsSelfOrSysadmin(ctx, user)) throw AuthRules.Denied(ctx, $"list API tokens of user {user.Name}");
    }

    public static async Task TokenRevoke(ActionContext ctx, JsonObject data)
    {
        if (!ctx.Caller.IsAuthenticated) throw AuthRules.Denied(ctx, "revoke API tokens");
        var token = await TokenLookup.FindAsync(ctx, data, tracking: false) ?? throw new NotFoundException("API token not found");
        if (!ctx.Caller.IsSysadmin && token.UserId != ctx.Caller.UserId) throw AuthRules.Denied(ctx, $"revoke API token {token.Id}");
    }

    private static bool IsSelfOrSysadmin(ActionContext ctx, User user) =>
        ctx.Caller.IsSysadmin || (ctx.Caller.UserId is not null && ctx.Caller.UserId == user.Id);

    /// <summary>
    /// A live account that may be changed through the API. The site user is the catalog's own identity
    /// (seeding and other in-process jobs) and is found by its name; it is left alone, and it has no tokens.
    /// </summary>
    private static async Task<User> ManagedUserAsync(ActionContext ctx, string idOrName, string notFound)
    {
        var user = await UserLookup.FindAsync(ctx.Db, idOrName, ctx.CancellationToken, tracking: false);
        if (user is null || (user.State == ObjectState.Deleted && !ctx.Caller.IsSysadmin)) throw new NotFoundException(notFound);
        if (user.Name == SiteUser.Name) throw new NotAuthorizedException($"The site user {SiteUser.Name} is managed by the catalog itself");
        return user;
    }
}
