using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>Finding the API token an action names.</summary>
public static class TokenLookup
{
    /// <summary>The token named by its secret (<c>token</c>) or by its id (<c>jti</c>).</summary>
    public static async Task<ApiToken?> FindAsync(ActionContext ctx, JsonObject data, bool tracking = true)
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
}
