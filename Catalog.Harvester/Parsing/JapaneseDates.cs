using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Catalog.Harvester.Parsing;

/// <summary>Dates as Mie's pages write them: 和暦 or 西暦, often in full-width digits (令和６年４月１日, 令和元年…).</summary>
public static partial class JapaneseDates
{
    private static readonly Dictionary<string, int> EraStart = new()
    {
        ["令和"] = 2018, ["R"] = 2018, ["平成"] = 1988, ["H"] = 1988, ["昭和"] = 1925, ["S"] = 1925,
    };

    [GeneratedRegex(@"(令和|平成|昭和|R|H|S)\s*(\d{1,2}|元)\s*[年.]\s*(\d{1,2})\s*[月.]\s*(\d{1,2})\s*日?")]
    private static partial Regex Era();

    [GeneratedRegex(@"(\d{4})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})")]
    private static partial Regex Western();

    public static DateOnly? Find(string text)
    {
        // NFKC turns full-width digits and letters into ASCII; the era names are untouched.
        var s = text.Normalize(NormalizationForm.FormKC);
        if (Era().Match(s) is { Success: true } m)
        {
            var year = (m.Groups[2].Value == "元" ? 1 : int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) + EraStart[m.Groups[1].Value];
            return Make(year, m.Groups[3].Value, m.Groups[4].Value);
        }
        if (Western().Match(s) is { Success: true } w)
            return Make(int.Parse(w.Groups[1].Value, CultureInfo.InvariantCulture), w.Groups[2].Value, w.Groups[3].Value);
        return null;
    }

    private static DateOnly? Make(int year, string month, string day)
    {
        var mo = int.Parse(month, CultureInfo.InvariantCulture);
        var d = int.Parse(day, CultureInfo.InvariantCulture);
        return mo is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(year, mo) ? new DateOnly(year, mo, d) : null;
    }
}
