using System.Text.Json.Nodes;
using Catalog.Core.Auth;
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

    /// <summary>api_token_list names its user <c>user_id</c> (CKAN 2.10+); older clients send <c>user</c>.</summary>
    internal static string UserRef(JsonObject data) =>
        DataDict.String(data, "user_id") is { Length: > 0 } id ? id : DataDict.Require(data, "user");

    /// <summary>The token named by its secret (<c>token</c>) or by its id (<c>jti</c>).</summary>
    internal static async Task<ApiToken?> FindAsync(ActionContext ctx, JsonObject data, bool tracking = true)
    {
        var tokens = tracking ? ctx.Db.ApiTokens : ctx.Db.ApiTokens.AsNoTracking();
        if (DataDict.String(data, "token") is { Length: > 0 } secret)
        {
            var hash = Secrets.HashToken(secret.Trim());
            return await tokens.FirstOrDefaultAsync(t => t.TokenHash == hash, ctx.CancellationToken);
        }
        if (DataDict.String(data, "jti") is { Length: > 0 } jti)
            return await tokens.FirstOrDefaultAsync(t => t.Id == jti, ctx.CancellationToken);
        throw new ValidationException(new JsonObject
        {
            ["token"] = new JsonArray(Validators.MissingValue),
            ["jti"] = new JsonArray(Validators.MissingValue),
        });
    }

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var user = await Users.FindAsync(ctx.Db, Validators.AsString(d["user"])!, ctx.CancellationToken, tracking: false);
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
        var user = await Users.FindAsync(ctx.Db, UserRef(d), ctx.CancellationToken, tracking: false)
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
        var token = await FindAsync(ctx, d) ?? throw new NotFoundException("API token not found");
        ctx.Db.ApiTokens.Remove(token);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return null;
    }
}
