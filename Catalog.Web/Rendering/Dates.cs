using System.Globalization;

namespace Catalog.Web.Rendering;

/// <summary>CKAN's ISO timestamps shown as dates (yyyy-MM-dd), the form both languages read.</summary>
public static class Dates
{
    public static string Short(string? iso) =>
        DateTime.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d) ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : iso ?? "";
}
