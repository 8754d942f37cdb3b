using Catalog.Core.Auth;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Seeding;

/// <summary>With <c>Catalog:SysadminToken</c> set, a sysadmin <c>admin</c> exists whose API token is that value.</summary>
public static class SysadminBootstrap
{
    public const string UserName = "admin";
    public const string TokenName = "bootstrap (Catalog:SysadminToken)";

    public static async Task EnsureAsync(CatalogDbContext db, string? token, TimeProvider clock, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token)) return;
        var now = Timestamps.Truncate(clock.GetUtcNow().UtcDateTime);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == UserName, ct);
        if (user is null)
        {
            user = new User { Id = Guid.NewGuid().ToString(), Name = UserName, Fullname = "Administrator", Created = now };
            db.Users.Add(user);
        }
        user.Sysadmin = true;
        user.State = ObjectState.Active;

        // The configured value is the only bootstrap token: a changed setting revokes the old one.
        var hash = Secrets.HashToken(token.Trim());
        var stale = await db.ApiTokens.Where(t => t.UserId == user.Id && t.Name == TokenName && t.TokenHash != hash).ToListAsync(ct);
        db.ApiTokens.RemoveRange(stale);
        if (!await db.ApiTokens.AnyAsync(t => t.TokenHash == hash, ct))
            db.ApiTokens.Add(new ApiToken { Id = Guid.NewGuid().ToString(), UserId = user.Id, Name = TokenName, TokenHash = hash, CreatedAt = now });
        await db.SaveChangesAsync(ct);
    }
}
