using System.Text.Json.Nodes;
using Catalog.Core.Licenses;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

/// <summary>
/// Dataset entity → CKAN package dict (reference §4.1): every core key present, null when unset.
/// The entity must come with its resources, extras, tags and owner organization loaded; groups are passed in.
/// </summary>
public sealed class PackageDictizer(LicenseRegistry licenses, SiteUrls urls)
{
    public JsonObject Dictize(Package p, IReadOnlyList<Group> groups)
    {
        var license = licenses.Find(p.LicenseId);
        var resources = p.Resources.Where(r => r.State == ObjectState.Active).OrderBy(r => r.Position).ToList();
        var tags = p.Tags.Select(t => t.Tag!).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

        var dict = new JsonObject
        {
            ["author"] = p.Author,
            ["author_email"] = p.AuthorEmail,
            ["creator_user_id"] = p.CreatorUserId,
            ["extras"] = new JsonArray(p.Extras.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => (JsonNode?)new JsonObject { ["key"] = e.Key, ["value"] = e.Value }).ToArray()),
            ["groups"] = new JsonArray(groups.Where(g => !g.IsOrganization && g.State == ObjectState.Active)
                .OrderBy(g => g.Name, StringComparer.Ordinal)
                .Select(g => (JsonNode?)GroupDictizer.EmbeddedGroup(g)).ToArray()),
            ["id"] = p.Id,
            ["isopen"] = license?.IsOpen ?? false,
            ["license_id"] = p.LicenseId,
            ["license_title"] = license?.Title ?? p.LicenseId,
        };
        if (license is { Url.Length: > 0 }) dict["license_url"] = license.Url;
        dict["maintainer"] = p.Maintainer;
        dict["maintainer_email"] = p.MaintainerEmail;
        dict["metadata_created"] = Timestamps.Format(p.MetadataCreated);
        dict["metadata_modified"] = Timestamps.Format(p.MetadataModified);
        dict["name"] = p.Name;
        dict["notes"] = p.Notes;
        dict["num_resources"] = resources.Count;
        dict["num_tags"] = tags.Count;
        dict["organization"] = p.OwnerOrg is { State: ObjectState.Active } org ? GroupDictizer.EmbeddedOrganization(org) : null;
        dict["owner_org"] = p.OwnerOrgId;
        dict["private"] = p.Private;
        dict["relationships_as_object"] = new JsonArray();
        dict["relationships_as_subject"] = new JsonArray();
        dict["resources"] = new JsonArray(resources.Select(r => (JsonNode?)ResourceDictizer.Dictize(r, urls)).ToArray());
        dict["state"] = p.State;
        dict["tags"] = new JsonArray(tags.Select(t => (JsonNode?)TagDictizer.Dictize(t)).ToArray());
        dict["title"] = string.IsNullOrWhiteSpace(p.Title) ? p.Name : p.Title;
        dict["type"] = p.Type;
        dict["url"] = p.Url;
        dict["version"] = p.Version;
        return dict;
    }
}
