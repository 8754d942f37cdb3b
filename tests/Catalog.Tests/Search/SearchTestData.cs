using Catalog.Core.Auth;
using Catalog.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Search;

/// <summary>
/// Organizations, groups and users written straight into the store, for search tests that need them before their
/// own actions exist; datasets are then created through the API.
/// </summary>
public static class SearchTestData
{
    public static async Task<string> GroupAsync(CatalogHost host, string name, string title, bool organization = true)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var group = new Group
        {
            Id = Guid.NewGuid().ToString(), Name = name, Title = title, IsOrganization = organization,
            Type = organization ? "organization" : "group", Created = DateTime.UtcNow,
        };
        db.Groups.Add(group);
        await db.SaveChangesAsync();
        return group.Id;
    }

    /// <summary>A user with the given roles (organization id → role) and a client holding their token.</summary>
    public static async Task<(string UserId, CkanClient Client)> UserAsync(CatalogHost host, string name, params (string GroupId, string Role)[] roles)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var user = new User { Id = Guid.NewGuid().ToString(), Name = name, Email = $"{name}@example.lg.jp", Created = DateTime.UtcNow };
        var token = Secrets.NewToken();
        db.Users.Add(user);
        db.ApiTokens.Add(new ApiToken { Id = Guid.NewGuid().ToString(), UserId = user.Id, Name = "tests", TokenHash = Secrets.HashToken(token), CreatedAt = DateTime.UtcNow });
        foreach (var (groupId, role) in roles)
            db.Members.Add(new Member { Id = Guid.NewGuid().ToString(), GroupId = groupId, TableName = "user", TableId = user.Id, Capacity = role });
        await db.SaveChangesAsync();
        return (user.Id, host.Client(token));
    }
}
