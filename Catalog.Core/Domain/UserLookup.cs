using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>Finding the user an action names.</summary>
public static class UserLookup
{
    /// <summary>By id first, then by name: a login name that happens to look like another account's id never shadows it.</summary>
    public static async Task<User?> FindAsync(CatalogDbContext db, string idOrName, CancellationToken ct, bool tracking = true)
    {
        var users = tracking ? db.Users : db.Users.AsNoTracking();
        return await users.FirstOrDefaultAsync(u => u.Id == idOrName, ct)
            ?? await users.FirstOrDefaultAsync(u => u.Name == idOrName, ct);
    }

    /// <summary>The user whose API tokens an action is about: <c>user_id</c> (CKAN 2.10+), or <c>user</c> from older clients.</summary>
    public static string TokenOwnerRef(JsonObject data) =>
        DataDict.String(data, "user_id") is { Length: > 0 } id ? id : DataDict.Require(data, "user");
}
