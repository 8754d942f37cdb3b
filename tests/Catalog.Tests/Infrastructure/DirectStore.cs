using System.Text.Json.Nodes;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Infrastructure;

/// <summary>
/// Writes organizations, users and memberships straight into the store, for tests of actions that only need them
/// to exist; datasets still go through package_create so they are built as the catalog builds them.
/// </summary>
public sealed class DirectStore(CatalogHost host)
{
    private readonly CkanClient _admin = host.Sysadmin();

    public async Task<string> OrganizationAsync(string name)
    {
        var org = new Group
        {
            Id = Guid.NewGuid().ToString(), Name = name, Title = $"組織 {name}", IsOrganization = true, Type = "organization",
            Created = Timestamps.Truncate(DateTime.UtcNow),
        };
        await WithDbAsync(db => db.Groups.Add(org));
        return org.Id;
    }

    /// <summary>A user with a role in an organization, and a client calling with their token.</summary>
    public async Task<CkanClient> MemberAsync(string userName, string orgId, string role)
    {
        var token = Secrets.NewToken();
        var user = new User { Id = Guid.NewGuid().ToString(), Name = userName, Created = Timestamps.Truncate(DateTime.UtcNow) };
        await WithDbAsync(db =>
        {
            db.Users.Add(user);
            db.ApiTokens.Add(new ApiToken
            {
                Id = Guid.NewGuid().ToString(), UserId = user.Id, Name = "tests", TokenHash = Secrets.HashToken(token), CreatedAt = user.Created,
            });
            db.Members.Add(new Member { Id = Guid.NewGuid().ToString(), GroupId = orgId, TableName = "user", TableId = user.Id, Capacity = role });
        });
        return host.Client(token);
    }

    /// <summary>A dataset created by the sysadmin through package_create; <paramref name="extra"/> adds or overrides keys.</summary>
    public async Task<JsonObject> DatasetAsync(string name, string org, bool isPrivate = false, object? extra = null)
    {
        var data = new JsonObject
        {
            ["name"] = name, ["title"] = $"データセット {name}", ["owner_org"] = org, ["private"] = isPrivate,
            ["license_id"] = "cc-by-40-intl",
        };
        if (extra is not null)
            foreach (var (k, v) in JsonNode.Parse(CkanClient.Serialize(extra))!.AsObject()) data[k] = v?.DeepClone();
        return (await _admin.CallAsync("package_create", data))!.AsObject();
    }

    private async Task WithDbAsync(Action<CatalogDbContext> change)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        change(db);
        await db.SaveChangesAsync();
    }
}
