using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

/// <summary>Resource entity → CKAN resource dict (reference §4.3); client-defined keys stay flat.</summary>
public static class ResourceDictizer
{
    public static JsonObject Dictize(Resource r, SiteUrls urls)
    {
        var dict = new JsonObject
        {
            ["cache_last_updated"] = Timestamps.Format(r.CacheLastUpdated),
            ["cache_url"] = r.CacheUrl,
            ["created"] = Timestamps.Format(r.Created),
            ["datastore_active"] = r.DatastoreActive,
            ["description"] = r.Description ?? "",
            ["format"] = r.Format ?? "",
            ["hash"] = r.Hash,
            ["id"] = r.Id,
            ["last_modified"] = Timestamps.Format(r.LastModified),
            ["metadata_modified"] = Timestamps.Format(r.MetadataModified),
            ["mimetype"] = r.Mimetype,
            ["mimetype_inner"] = r.MimetypeInner,
            ["name"] = r.Name ?? "",
            ["package_id"] = r.PackageId,
            ["position"] = r.Position,
            ["resource_type"] = r.ResourceType,
            ["size"] = r.Size,
            ["state"] = r.State,
            ["url"] = PublicUrl(r, urls),
            ["url_type"] = r.UrlType,
        };
        if (r.ExtrasJson is not "{}" && JsonNode.Parse(r.ExtrasJson) is JsonObject extras)
            foreach (var (key, value) in extras)
                dict.TryAdd(key, value?.DeepClone());
        return dict;
    }

    /// <summary>Uploads are stored under their file name and served from the catalog; bare links get a scheme.</summary>
    public static string PublicUrl(Resource r, SiteUrls urls)
    {
        if (r.UrlType == "upload" && r.Url.Length > 0)
            return urls.ResourceDownload(r.PackageId, r.Id, r.Url);
        if (r.Url.Length == 0 || r.Url.Contains("://", StringComparison.Ordinal) || r.Url.StartsWith('/'))
            return r.Url;
        return "http://" + r.Url;
    }
}
