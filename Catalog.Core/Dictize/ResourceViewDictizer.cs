using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

/// <summary>CKAN's resource_view_dictize: the view's columns without its order, its config keys flattened in, and its dataset.</summary>
public static class ResourceViewDictizer
{
    public static JsonObject Dictize(ResourceView v, string packageId)
    {
        var dict = new JsonObject
        {
            ["description"] = v.Description,
            ["id"] = v.Id,
            ["package_id"] = packageId,
            ["resource_id"] = v.ResourceId,
            ["title"] = v.Title,
            ["view_type"] = v.ViewType,
        };
        if (JsonNode.Parse(v.ConfigJson) is JsonObject config)
            foreach (var (key, value) in config)
                dict.TryAdd(key, value?.DeepClone());
        return dict;
    }
}
