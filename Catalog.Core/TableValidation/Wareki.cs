using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Catalog.Core.TableValidation;

/// <summary>
/// 和暦 dates (令和5年4月1日, R5.4.1, 平成31年4月30日, 令和元年…) read as 西暦, for the rule that dates are 西暦 or carry
/// it alongside (機械判読 L3-05) and for the fix that rewrites them as YYYY-MM-DD.
/// </summary>
public static partial class Wareki
{
    private static readonly Dictionary<string, int> Eras = new(StringComparer.Ordinal)
    {
        ["令和"] = 2018, ["R"] = 2018, ["Ｒ"] = 2018,
        ["平成"] = 1988, ["H"] = 1988, ["Ｈ"] = 1988,
        ["昭和"] = 1925, ["S"] = 1925, ["Ｓ"] = 1925,
        ["大正"] = 1911, ["T"] = 1911,
        ["明治"] = 1867, ["M"] = 1867,
    };

    [GeneratedRegex(@"^(令和|平成|昭和|大正|明治|[RHSTMＲＨＳ])\s*(元|\d{1,2})\s*(?:年|[.\-/])\s*(\d{1,2})\s*(?:月|[.\-/])\s*(\d{1,2})\s*日?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [GeneratedRegex(@"(令和|平成|昭和|大正|明治)\s*(元|\d{1,2})\s*年")]
    private static partial Regex EraYear();

    [GeneratedRegex(@"(?<!\d)(1[89]|20)\d{2}(?!\d)")]
    private static partial Regex GregorianYear();

    /// <summary>A whole cell that is a 和暦 date, as a date; full-width digits are read as digits.</summary>
    public static bool TryParse(string text, out DateOnly date)
    {
        date = default;
        var m = Shape().Match(NarrowDigits(text.Trim()));
        if (!m.Success) return false;
        var year = Eras[m.Groups[1].Value] + (m.Groups[2].Value == "元" ? 1 : int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var month = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>A 和暦 year (令和5年…) with no four-digit 西暦 year beside it in the same text.</summary>
    public static bool MentionsWithoutGregorian(string text)
    {
        var narrow = NarrowDigits(text);
        return EraYear().IsMatch(narrow) && !GregorianYear().IsMatch(narrow);
    }

    /// <summary>０-９ as 0-9, nothing else changed.</summary>
    public static string NarrowDigits(string text)
    {
        if (!HasWideDigits(text)) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(c is >= '０' and <= '９' ? (char)('0' + (c - '０')) : c);
        return sb.ToString();
    }

    public static bool HasWideDigits(string text) => text.AsSpan().IndexOfAnyInRange('０', '９') >= 0;
}
