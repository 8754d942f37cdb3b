using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

/// <summary>Group and organization entities → CKAN dicts, in the full form (organization_show) and the short forms embedded in datasets.</summary>
public static class GroupDictizer
{
    public static JsonObject Dictize(Group g, int packageCount, bool includeExtras = true)
    {
        var dict = new JsonObject
        {
            ["approval_status"] = g.ApprovalStatus,
            ["created"] = Timestamps.Format(g.Created),
            ["description"] = g.Description,
            ["display_name"] = DisplayName(g),
            ["id"] = g.Id,
            ["image_display_url"] = g.ImageUrl,
            ["image_url"] = g.ImageUrl,
            ["is_organization"] = g.IsOrganization,
            ["name"] = g.Name,
            ["num_followers"] = 0,
            ["package_count"] = packageCount,
            ["state"] = g.State,
            ["title"] = g.Title,
            ["type"] = g.Type,
        };
        if (includeExtras) dict["extras"] = Extras(g);
        return dict;
    }

    /// <summary>The <c>organization</c> object embedded in a dataset dict.</summary>
    public static JsonObject EmbeddedOrganization(Group g) => new()
    {
        ["approval_status"] = g.ApprovalStatus,
        ["created"] = Timestamps.Format(g.Created),
        ["description"] = g.Description,
        ["id"] = g.Id,
        ["image_url"] = g.ImageUrl,
        ["is_organization"] = true,
        ["name"] = g.Name,
        ["state"] = g.State,
        ["title"] = g.Title,
        ["type"] = g.Type,
    };

    /// <summary>An entry of a dataset's <c>groups</c> list.</summary>
    public static JsonObject EmbeddedGroup(Group g) => new()
    {
        ["description"] = g.Description,
        ["display_name"] = DisplayName(g),
        ["id"] = g.Id,
        ["image_display_url"] = g.ImageUrl,
        ["name"] = g.Name,
        ["title"] = g.Title,
    };

    public static JsonArray Extras(Group g) =>
        new(g.Extras.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => (JsonNode?)new JsonObject { ["key"] = e.Key, ["value"] = e.Value }).ToArray());

    public static string DisplayName(Group g) => string.IsNullOrEmpty(g.Title) ? g.Name : g.Title;
}
