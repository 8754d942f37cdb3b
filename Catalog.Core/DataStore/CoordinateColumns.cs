namespace Catalog.Core.DataStore;

/// <summary>
/// Which of a table's columns hold latitude and longitude, by their header (Japanese open data's 緯度/経度 and the
/// English names). One rule for the map view a table gets and the points the citizen page draws.
/// </summary>
public static class CoordinateColumns
{
    private static readonly string[] LatitudeNames = ["緯度", "latitude", "lat", "y座標"];
    private static readonly string[] LongitudeNames = ["経度", "longitude", "lon", "lng", "long", "x座標"];

    /// <summary>The latitude and longitude columns, or null when the table lacks either.</summary>
    public static (string Latitude, string Longitude)? Find(IEnumerable<string> columns)
    {
        var list = columns.ToList();
        var lat = FindOne(list, LatitudeNames);
        var lon = FindOne(list, LongitudeNames);
        return lat is not null && lon is not null ? (lat, lon) : null;
    }

    private static string? FindOne(List<string> columns, string[] names) =>
        names.Select(n => columns.FirstOrDefault(c => string.Equals(c.Trim(), n, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(c => c is not null);
}
