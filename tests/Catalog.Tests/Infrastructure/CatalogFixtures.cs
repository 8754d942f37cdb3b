using System.Text.Json.Nodes;

namespace Catalog.Tests.Infrastructure;

/// <summary>A user made through the API, with a client calling with a fresh API token of theirs.</summary>
public sealed record TestUser(string Id, string Name, string Token, CkanClient Client);

/// <summary>
/// Builds the objects tests need through the API itself, as the sysadmin: users with tokens, organizations and groups
/// with members, datasets. Going through the actions keeps fixtures as the catalog itself would build them.
/// </summary>
public sealed class CatalogFixtures(CatalogHost host)
{
    public const string Password = "correct-horse-battery";

    private readonly CkanClient _admin = host.Sysadmin();

    /// <summary>A name no other test uses: the prefix, a dash and 12 hex digits.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task<TestUser> UserAsync(string name, bool sysadmin = false)
    {
        var user = await _admin.CallAsync("user_create", new
        {
            name, email = $"{name}@example.lg.jp", password = Password, fullname = $"利用者 {name}", sysadmin,
        });
        var token = (await _admin.CallAsync("api_token_create", new { user = name, name = "tests" }))!["token"]!.GetValue<string>();
        return new TestUser(user!["id"]!.GetValue<string>(), name, token, host.Client(token));
    }

    /// <summary>A new user holding <paramref name="role"/> in the organization (name or id).</summary>
    public async Task<TestUser> MemberAsync(string userName, string org, string role)
    {
        var user = await UserAsync(userName);
        await _admin.CallAsync("organization_member_create", new { id = org, username = userName, role });
        return user;
    }

    /// <summary>An organization with the given (existing) users in their roles; the sysadmin is its admin as creator.</summary>
    public Task<JsonObject> OrganizationAsync(string name, params (string User, string Role)[] members) =>
        OrganizationAsync(name, $"組織 {name}", members);

    public async Task<JsonObject> OrganizationAsync(string name, string title, params (string User, string Role)[] members)
    {
        var org = (await _admin.CallAsync("organization_create", new { name, title }))!.AsObject();
        foreach (var (user, role) in members)
            await _admin.CallAsync("organization_member_create", new { id = name, username = user, role });
        return org;
    }

    /// <summary>A group with the given (existing) users in their roles.</summary>
    public Task<JsonObject> GroupAsync(string name, params (string User, string Role)[] members) =>
        GroupAsync(name, $"グループ {name}", members);

    public async Task<JsonObject> GroupAsync(string name, string title, params (string User, string Role)[] members)
    {
        var group = (await _admin.CallAsync("group_create", new { name, title }))!.AsObject();
        foreach (var (user, role) in members)
            await _admin.CallAsync("group_member_create", new { id = name, username = user, role });
        return group;
    }

    /// <summary>A dataset created by the sysadmin through package_create; <paramref name="extra"/> adds or overrides keys.</summary>
    public async Task<JsonObject> DatasetAsync(string name, string org, bool isPrivate = false, object? extra = null)
    {
        var data = new JsonObject
        {
            ["name"] = name, ["title"] = $"データセット {name}", ["owner_org"] = org, ["private"] = isPrivate,
            ["notes"] = "説明", ["license_id"] = "cc-by-40-intl",
        };
        if (extra is not null)
            foreach (var (k, v) in JsonNode.Parse(CkanClient.Serialize(extra))!.AsObject()) data[k] = v?.DeepClone();
        return (await _admin.CallAsync("package_create", data))!.AsObject();
    }
}
