using Catalog.Core.Auth;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Seeding;

/// <summary>
/// With <c>Catalog:SysadminToken</c> set, a sysadmin <c>admin</c> exists whose API token is that value. The setting is
/// the only source of that token: changed, the old value stops working; removed, no bootstrap token is left.
/// </summary>
public static class SysadminBootstrap
{
    public const string UserName = "admin";
    public const string TokenName = "bootstrap (Catalog:SysadminToken)";
    public const string SettingKey = "Catalog:SysadminToken";

    /// <summary>It grants everything and is typed by people: at least as long as a generated token's 24 random bytes in hex.</summary>
    public const int MinTokenLength = 32;

    public static string TooShortMessage =>
        $"{SettingKey} must be at least {MinTokenLength} characters long (e.g. the output of `openssl rand -hex 24`), or unset.";

    /// <summary>Unset (or blank) is fine; a value must be long enough.</summary>
    public static bool IsAcceptable(string? token) =>
        string.IsNullOrWhiteSpace(token) || token.Trim().Length >= MinTokenLength;

    public static async Task EnsureAsync(CatalogDbContext db, string? token, TimeProvider clock, CancellationToken ct = default)
    {
        // Nodes starting together on one store race to create the account and its token: the loser's insert meets a
        // unique index (or its delete finds the row gone), and looking again finds what the winner wrote.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureOnceAsync(db, token, clock, ct);
                return;
            }
            catch (DbUpdateException) when (attempt < Attempts && db.Database.CurrentTransaction is null)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>How often a start looks again after losing the race to another node.</summary>
    internal const int Attempts = 5;

    private static async Task EnsureOnceAsync(CatalogDbContext db, string? token, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            // The account stays (it may own datasets and tokens of its own); only the bootstrap token goes, found by
            // its name alone so that renaming the account does not keep it alive.
            await db.ApiTokens.Where(t => t.Name == TokenName).ExecuteDeleteAsync(ct);
            return;
        }
        if (!IsAcceptable(token)) throw new InvalidOperationException(TooShortMessage);

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
