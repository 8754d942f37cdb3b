using System.Globalization;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Solr's <c>mm</c> (minimum should match) specification: <c>3</c>, <c>-1</c>, <c>80%</c>, <c>-20%</c>, and
/// conditional forms such as CKAN's default <c>2&lt;-1 5&lt;80%</c> (up to 2 clauses all required; 3–5 allow one
/// missing; more need 80%).
/// </summary>
public static class MinimumMatch
{
    public const string CkanDefault = "2<-1 5<80%";

    /// <returns>How many of <paramref name="optional"/> clauses must match; an unreadable spec requires all.</returns>
    public static int Required(string? spec, int optional)
    {
        if (optional <= 0) return 0;
        spec = string.IsNullOrWhiteSpace(spec) ? CkanDefault : spec.Trim();
        int result;
        if (spec.Contains('<'))
        {
            result = optional;
            foreach (var part in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var pieces = part.Split('<');
                if (pieces.Length != 2 || !int.TryParse(pieces[0], CultureInfo.InvariantCulture, out var above)) return optional;
                if (optional > above) result = Simple(pieces[1], optional);
            }
        }
        else
        {
            result = Simple(spec, optional);
        }
        return Math.Clamp(result, 1, optional);
    }

    private static int Simple(string spec, int optional)
    {
        if (spec.EndsWith('%'))
        {
            if (!int.TryParse(spec[..^1], CultureInfo.InvariantCulture, out var pct)) return optional;
            var n = (int)(optional * Math.Abs(pct) / 100.0);
            return pct < 0 ? optional - n : n;
        }
        if (!int.TryParse(spec, CultureInfo.InvariantCulture, out var count)) return optional;
        return count < 0 ? optional + count : count;
    }
}
