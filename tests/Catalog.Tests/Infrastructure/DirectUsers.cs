using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Infrastructure;

/// <summary>
/// Users with API tokens written straight into the store, for tests that need callers with roles
/// without going through the user actions.
/// </summary>
public static class DirectUsers
{
    public static async Task<DirectUser> CreateAsync(CatalogHost host, string name, bool sysadmin = false)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var now = Timestamps.Truncate(DateTime.UtcNow);
        var user = new User
        {
            Id = Guid.NewGuid().ToString(), Name = name, Fullname = $"利用者 {name}", Email = $"{name}@example.lg.jp",
            Sysadmin = sysadmin, Created = now,
        };
        var token = Secrets.NewToken();
        db.Users.Add(user);
        db.ApiTokens.Add(new ApiToken
        {
            Id = Guid.NewGuid().ToString(), UserId = user.Id, Name = "tests", TokenHash = Secrets.HashToken(token), CreatedAt = now,
        });
        await db.SaveChangesAsync();
        return new DirectUser(user.Id, name, host.Client(token));
    }
}

public sealed record DirectUser(string Id, string Name, CkanClient Client);
