using System.Text.Json.Nodes;

namespace Catalog.Tests.Infrastructure;

/// <summary>Builds the objects tests need through the API itself (sysadmin client): users with tokens, organizations, datasets.</summary>
public sealed class CatalogFixtures(CatalogHost host)
{
    private readonly CkanClient _admin = host.Sysadmin();

    /// <summary>Creates a user and returns a client authenticated with a fresh API token of theirs.</summary>
    public async Task<(string UserId, CkanClient Client)> UserAsync(string name)
    {
        var user = await _admin.CallAsync("user_create", new { name, email = $"{name}@example.lg.jp", password = "correct-horse-battery" });
        var token = await _admin.CallAsync("api_token_create", new { user = name, name = "tests" });
        return (user!["id"]!.GetValue<string>(), host.Client(token!["token"]!.GetValue<string>()));
    }

    public async Task<JsonObject> OrganizationAsync(string name, params (string User, string Role)[] members)
    {
        var org = (await _admin.CallAsync("organization_create", new { name, title = $"組織 {name}" }))!.AsObject();
        foreach (var (user, role) in members)
            await _admin.CallAsync("organization_member_create", new { id = name, username = user, role });
        return org;
    }

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
