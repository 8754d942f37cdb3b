using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// api_token_* actions. The secret is shown once, at creation; the store keeps only its hash, so a revoked
/// (deleted) token stops authenticating on the very next request.
/// </summary>
public static class Tokens
{
    public static ActionRegistry AddTokenActions(this ActionRegistry r) => r
        .Write("api_token_create", UserAuth.TokenCreate, Create,
            "Create an API token for a user. The token is returned only this once.\n\n:param user: the id or name of the user\n:param name: a name for the token\n\nReturns {\"token\": ..., \"id\": ...}.",
            UserSchemas.TokenCreate)
        .Read("api_token_list", UserAuth.TokenList, List,
            "Return a user's API tokens (never the secrets).\n\n:param user_id: the id or name of the user (user is accepted too)")
        .Write("api_token_revoke", UserAuth.TokenRevoke, Revoke,
            "Revoke an API token.\n\n:param token: the token itself, or\n:param jti: the token's id");

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var user = await UserLookup.FindAsync(ctx.Db, Validators.AsString(d["user"])!, ctx.CancellationToken, tracking: false);
        // A token of a deleted account would never authenticate.
        if (user is null || user.State == ObjectState.Deleted) throw new NotFoundException("User not found");

        var secret = Secrets.NewToken();
        var token = new ApiToken
        {
            Id = Guid.NewGuid().ToString(),
            UserId = user.Id,
            Name = Validators.AsString(d["name"])!,
            TokenHash = Secrets.HashToken(secret),
            CreatedAt = ctx.Now,
        };
        ctx.Db.ApiTokens.Add(token);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return new JsonObject { ["token"] = secret, ["id"] = token.Id };
    }

    private static async Task<JsonNode?> List(ActionContext ctx, JsonObject d)
    {
        var user = await UserLookup.FindAsync(ctx.Db, UserLookup.TokenOwnerRef(d), ctx.CancellationToken, tracking: false)
            ?? throw new NotFoundException("User not found");
        var tokens = await ctx.Db.ApiTokens.AsNoTracking().Where(t => t.UserId == user.Id)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(ctx.CancellationToken);
        return new JsonArray(tokens.Select(t => (JsonNode?)new JsonObject
        {
            ["created_at"] = Timestamps.Format(t.CreatedAt),
            ["id"] = t.Id,
            ["last_access"] = Timestamps.Format(t.LastAccess),
            ["name"] = t.Name,
            ["user_id"] = t.UserId,
        }).ToArray());
    }

    private static async Task<JsonNode?> Revoke(ActionContext ctx, JsonObject d)
    {
        var token = await TokenLookup.FindAsync(ctx, d) ?? throw new NotFoundException("API token not found");
        ctx.Db.ApiTokens.Remove(token);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return null;
    }
}
