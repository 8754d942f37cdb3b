using System.Globalization;

namespace Catalog.Core;

/// <summary>
/// CKAN's wire format for times: Python's <c>isoformat()</c> on naive UTC values — microseconds, dropped when zero,
/// no <c>Z</c> and no offset.
/// </summary>
public static class Timestamps
{
    public static string Format(DateTime utc)
    {
        utc = Truncate(utc);
        var micro = (utc.Ticks % TimeSpan.TicksPerSecond) / 10;
        var basePart = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return micro == 0 ? basePart : $"{basePart}.{micro:D6}";
    }

    public static string? Format(DateTime? utc) => utc is { } v ? Format(v) : null;

    /// <summary>CKAN keeps microseconds; the store and the wire agree only if we do the same.</summary>
    public static DateTime Truncate(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    /// <summary>Reads an ISO-8601 date or date-time; values with an offset or <c>Z</c> are converted to UTC.</summary>
    public static bool TryParse(string s, out DateTime utc)
    {
        if (DateTime.TryParse(s, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc))
        {
            utc = Truncate(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
            return true;
        }
        return false;
    }
}
