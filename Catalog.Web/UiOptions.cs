using Microsoft.Extensions.Options;

namespace Catalog.Web;

/// <summary>The citizen pages' settings, under <c>Catalog:Ui</c>.</summary>
public sealed class UiOptions
{
    public const string Section = "Catalog:Ui";

    /// <summary>GSI's standard map (地理院タイル), the Japanese government's free tiles.</summary>
    public const string GsiTiles = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png";

    /// <summary>
    /// The tile URL template the visitor's browser fetches (never the server); empty turns tiles off and the pages
    /// draw a plain SVG point plot instead.
    /// </summary>
    public string MapTiles { get; set; } = GsiTiles;

    /// <summary>The attribution the tile server asks for.</summary>
    public string MapAttribution { get; set; } = "<a href=\"https://maps.gsi.go.jp/development/ichiran.html\">地理院タイル</a>";

    /// <summary>Datasets per search page.</summary>
    public int PageSize { get; set; } = 20;

    public bool TilesEnabled => !string.IsNullOrWhiteSpace(MapTiles);

    /// <summary>The tile server's origin, the one outside address the pages' CSP allows.</summary>
    public string? TileOrigin =>
        TilesEnabled && Uri.TryCreate(MapTiles.Replace("{s}", "a").Replace("{z}", "0").Replace("{x}", "0").Replace("{y}", "0"),
            UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : null;
}

/// <summary>Refuses at start a tile template that is not an absolute http(s) URL with {z}, {x} and {y}.</summary>
internal sealed class UiOptionsValidator : IValidateOptions<UiOptions>
{
    public ValidateOptionsResult Validate(string? name, UiOptions o)
    {
        if (o.PageSize is < 1 or > 100) return ValidateOptionsResult.Fail("Catalog:Ui:PageSize must be between 1 and 100.");
        if (!o.TilesEnabled) return ValidateOptionsResult.Success;
        var t = o.MapTiles;
        if (!t.Contains("{z}") || !t.Contains("{x}") || !t.Contains("{y}") || o.TileOrigin is not { } origin
            || !(origin.StartsWith("https://", StringComparison.Ordinal) || origin.StartsWith("http://", StringComparison.Ordinal))
            || t.IndexOfAny(['"', '\'', ' ', ';', '<', '>']) >= 0)
            return ValidateOptionsResult.Fail("Catalog:Ui:MapTiles must be an http(s) URL template with {z}, {x} and {y}, or empty.");
        return ValidateOptionsResult.Success;
    }
}
