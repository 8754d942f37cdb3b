using Microsoft.Extensions.Options;

namespace Catalog.Core;

/// <summary>Absolute links the catalog hands out: download URLs of uploads, help URLs.</summary>
public sealed class SiteUrls(IOptions<CatalogOptions> options)
{
    public const string Fallback = "http://localhost:5000";

    public string Base { get; } = (options.Value.SiteUrl is { Length: > 0 } s ? s : Fallback).TrimEnd('/');

    public bool Configured { get; } = options.Value.SiteUrl is { Length: > 0 };

    public string ResourceDownload(string packageId, string resourceId, string fileName) =>
        $"{Base}/dataset/{packageId}/resource/{resourceId}/download/{Uri.EscapeDataString(fileName)}";

    public string Help(string action, string? requestBase = null) =>
        $"{(Configured || requestBase is null ? Base : requestBase.TrimEnd('/'))}/api/3/action/help_show?name={Uri.EscapeDataString(action)}";
}
