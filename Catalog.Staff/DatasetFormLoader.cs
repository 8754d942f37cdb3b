using System.Text.Json.Nodes;

namespace Catalog.Staff;

/// <summary>What the form offers, read through the actions as the member: their organizations, the categories, tags in use.</summary>
public static class DatasetFormLoader
{
    public static async Task<DatasetForm> LoadAsync(StaffSession session)
    {
        var orgs = await session.CallAsync("organization_list_for_user",
            new JsonObject { ["id"] = session.Caller.UserId, ["permission"] = "create_dataset" }) as JsonArray ?? [];
        var groups = await session.CallAsync("group_list", new JsonObject { ["all_fields"] = true, ["limit"] = 1000 }) as JsonArray ?? [];
        var tags = await session.CallAsync("tag_list", new JsonObject()) as JsonArray ?? [];
        return new DatasetForm(
            orgs.OfType<JsonObject>().Select(o => (o["name"]!.ToString(), o["title"]?.ToString() is { Length: > 0 } t ? t : o["name"]!.ToString())).ToList(),
            groups.OfType<JsonObject>().Select(g => (g["name"]!.ToString(), g["title"]?.ToString() is { Length: > 0 } t ? t : g["name"]!.ToString())).ToList())
        {
            TagSuggestions = tags.Select(t => t?.ToString() ?? "").Where(t => t.Length > 0).Take(500).ToList(),
        };
    }
}
