using System.Text.Json;

namespace Catalog.Core.Licenses;

/// <summary>The licences datasets may name: CKAN's defaults plus BODIK's and the 公共データ利用規約 (kept as data in licenses.json).</summary>
public sealed class LicenseRegistry
{
    public const string DefaultId = "cc-by-40-intl";

    private readonly Dictionary<string, License> _byId;

    public IReadOnlyList<License> All { get; }

    private LicenseRegistry(IReadOnlyList<License> all)
    {
        All = all;
        _byId = all.ToDictionary(l => l.Id, StringComparer.Ordinal);
    }

    public License? Find(string? id) => id is null ? null : _byId.GetValueOrDefault(id);

    public static LicenseRegistry LoadEmbedded()
    {
        using var stream = typeof(LicenseRegistry).Assembly.GetManifestResourceStream("Catalog.Core.Licenses.licenses.json")
            ?? throw new InvalidOperationException("licenses.json is not embedded");
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var list = JsonSerializer.Deserialize<List<License>>(stream, options) ?? [];
        return new LicenseRegistry(list);
    }
}
