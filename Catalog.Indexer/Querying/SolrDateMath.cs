using System.Globalization;
using System.Text.RegularExpressions;
using Catalog.Core;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Solr's date syntax as CKAN clients send it in <c>fq</c>: ISO instants with or without fractional seconds and
/// <c>Z</c> (<c>2025-01-10T08:15:42.123456Z</c>), <c>NOW</c>, and date math (<c>NOW-7DAYS</c>, <c>NOW/DAY</c>,
/// <c>2020-01-01T00:00:00Z+1MONTH</c>).
/// </summary>
public static partial class SolrDateMath
{
    [GeneratedRegex(@"^(?<base>NOW|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?Z?)(?<math>(?:[+-]\d+[A-Za-z]+|/[A-Za-z]+)*)$")]
    private static partial Regex Expression();

    [GeneratedRegex(@"(?<op>[+-]\d+|/)(?<unit>[A-Za-z]+)")]
    private static partial Regex Step();

    public static bool TryParse(string text, DateTime nowUtc, out DateTime utc)
    {
        utc = default;
        var m = Expression().Match(text.Trim());
        if (!m.Success) return false;
        var basePart = m.Groups["base"].Value;
        if (basePart == "NOW") utc = Timestamps.Truncate(nowUtc);
        else if (!Timestamps.TryParse(basePart, out utc)) return false;

        foreach (Match step in Step().Matches(m.Groups["math"].Value))
        {
            var unit = step.Groups["unit"].Value.ToUpperInvariant().TrimEnd('S');
            if (unit == "DATE") unit = "DAY";
            var op = step.Groups["op"].Value;
            try
            {
                if (op == "/")
                {
                    if (!TryRound(utc, unit, out utc)) return false;
                    continue;
                }
                var n = int.Parse(op, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                utc = unit switch
                {
                    "YEAR" => utc.AddYears(n),
                    "MONTH" => utc.AddMonths(n),
                    "DAY" => utc.AddDays(n),
                    "HOUR" => utc.AddHours(n),
                    "MINUTE" => utc.AddMinutes(n),
                    "SECOND" => utc.AddSeconds(n),
                    "MILLI" or "MILLISECOND" => utc.AddMilliseconds(n),
                    _ => throw new FormatException(unit),
                };
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
            {
                return false;
            }
        }
        return true;
    }

    private static bool TryRound(DateTime t, string unit, out DateTime rounded)
    {
        rounded = unit switch
        {
            "YEAR" => new DateTime(t.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            "MONTH" => new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            "DAY" => t.Date,
            "HOUR" => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc),
            "MINUTE" => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, DateTimeKind.Utc),
            "SECOND" => new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, DateTimeKind.Utc),
            _ => default,
        };
        return rounded != default;
    }
}
