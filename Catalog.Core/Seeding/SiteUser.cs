using Catalog.Core.Auth;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Seeding;

/// <summary>
/// The catalog's own sysadmin account (CKAN's "site user"): the seed loader (and every in-process job) acts as it,
/// so their changes go through the same actions and are attributed in the activity log. It has no token.
/// </summary>
public static class SiteUser
{
    public const string Name = "catalog-site";

    public static async Task<Caller> EnsureAsync(CatalogDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        // Jobs on several nodes may create the account at the same moment: the loser meets the unique name and reads
        // the winner's row (outside a transaction only: inside one, PostgreSQL has aborted it).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EnsureOnceAsync(db, clock, ct);
            }
            catch (DbUpdateException) when (attempt < SysadminBootstrap.Attempts && db.Database.CurrentTransaction is null)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<Caller> EnsureOnceAsync(CatalogDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == Name, ct);
        if (user is null)
        {
            user = new User
            {
                Id = Guid.NewGuid().ToString(), Name = Name, Fullname = "Catalog site", Sysadmin = true,
                Created = Timestamps.Truncate(clock.GetUtcNow().UtcDateTime),
            };
            db.Users.Add(user);
            await db.SaveChangesAsync(ct);
        }
        return new Caller(user.Id, user.Name, IsSysadmin: true);
    }
}
