using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

/// <summary>A resource's validation as resource_validation_show returns it (ckanext-validation's dict).</summary>
public static class ResourceValidationDictizer
{
    public static JsonObject Dictize(ResourceValidation v)
    {
        var report = JsonNode.Parse(v.Report);
        return new JsonObject
        {
            ["id"] = v.ResourceId,
            ["resource_id"] = v.ResourceId,
            ["status"] = v.Status,
            ["report"] = report,
            ["error"] = v.Status == ResourceValidationStatus.Error ? report?["errors"]?[0]?["message"]?.DeepClone() : null,
            ["created"] = Timestamps.Format(v.Created),
            ["finished"] = Timestamps.Format(v.Finished),
            ["schema"] = v.Schema is { } s && s.StartsWith('{') ? JsonNode.Parse(s) : v.Schema,
            ["standard"] = v.StandardId,
            ["file_sha256"] = v.BlobSha256,
            ["original_sha256"] = v.OriginalSha256,
            ["fixes_applied"] = v.FixesApplied is { } f ? new JsonArray(f.Split(',').Select(x => (JsonNode?)x).ToArray()) : null,
        };
    }
}
