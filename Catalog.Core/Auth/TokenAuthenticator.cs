using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Auth;

/// <summary>
/// Turns an API token into a caller. An unknown or revoked token means anonymous, never an error:
/// the caller then meets 403 where rights are needed (CKAN's behaviour).
/// </summary>
public sealed class TokenAuthenticator(CatalogDbContext db, TimeProvider clock)
{
    /// <summary>Recording every use would turn each read into a write; a minute's precision is enough.</summary>
    private static readonly TimeSpan AccessGranularity = TimeSpan.FromMinutes(1);

    public async Task<Caller> AuthenticateAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 512) return Caller.Anonymous;
        var hash = Secrets.HashToken(token.Trim());
        var row = await db.ApiTokens.Include(t => t.User)
            .FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (row?.User is not { State: ObjectState.Active } user) return Caller.Anonymous;

        var now = clock.GetUtcNow().UtcDateTime;
        if (row.LastAccess is null || now - row.LastAccess > AccessGranularity)
        {
            row.LastAccess = Timestamps.Truncate(now);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) { /* a busy database must not refuse a read */ }
        }
        return new Caller(user.Id, user.Name, user.Sysadmin);
    }
}
