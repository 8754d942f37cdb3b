using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Catalog.Core.DataStore;

/// <summary>The types a DataStore column may have, named as CKAN's DataStore names them in <c>fields</c>.</summary>
public enum ColumnType { Int, Numeric, Bool, Date, Timestamp, Text }

public static class ColumnTypes
{
    public static string CkanName(ColumnType t) => t switch
    {
        ColumnType.Int => "int",
        ColumnType.Numeric => "numeric",
        ColumnType.Bool => "bool",
        ColumnType.Date => "date",
        ColumnType.Timestamp => "timestamp",
        _ => "text",
    };

    /// <summary>CKAN's type names and their PostgreSQL spellings, as datastore_create accepts them.</summary>
    public static ColumnType? FromCkanName(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "int" or "int4" or "int8" or "integer" or "bigint" or "smallint" or "int2" => ColumnType.Int,
        "numeric" or "float" or "float4" or "float8" or "double precision" or "real" or "decimal" or "number" => ColumnType.Numeric,
        "bool" or "boolean" => ColumnType.Bool,
        "date" => ColumnType.Date,
        "timestamp" or "timestamptz" or "datetime" => ColumnType.Timestamp,
        "text" or "string" or "varchar" or "" or null => ColumnType.Text,
        _ => null,
    };
}

/// <summary>
/// Reads cell text as a typed value the way Japanese public-sector tables write them: full-width digits, thousands
/// separators, ▲ or △ for minus, and dates in the Gregorian or the Japanese era calendar.
/// </summary>
public static partial class CellValues
{
    // Generated at build time: every cell of a number or date column is matched twice (profile, convert), and the
    // interpreted patterns were a large share of loading.
    [GeneratedRegex(@"^[+-]?(\d{1,3}(,\d{3})+|\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerText { get; }

    [GeneratedRegex(@"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalText { get; }

    [GeneratedRegex(
        @"^(?<era>令和|平成|昭和|大正|明治|[RHSTM])?\s*(?<y>\d{1,4}|元)\s*(年|[./-])\s*(?<m>\d{1,2})\s*(月|[./-])\s*(?<d>\d{1,2})\s*日?" +
        @"(?:[ T]\s*(?<hh>\d{1,2})[:時]\s*(?<mi>\d{1,2})(?:[:分]\s*(?<ss>\d{1,2})(?:\.(?<f>\d{1,6}))?秒?)?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex DateText { get; }

    private static readonly Dictionary<string, int> EraStart = new()
    {
        ["令和"] = 2018, ["R"] = 2018, ["平成"] = 1988, ["H"] = 1988, ["昭和"] = 1925, ["S"] = 1925,
        ["大正"] = 1911, ["T"] = 1911, ["明治"] = 1867, ["M"] = 1867,
    };

    /// <summary>Width-folded and trimmed; minus marks turned into '-'.</summary>
    public static string Normalize(string s)
    {
        // Most cells are plain ASCII, already in NFKC: skip the normalizer (it dominates loading otherwise).
        if (System.Text.Ascii.IsValid(s)) return s.Trim();
        var n = s.Normalize(NormalizationForm.FormKC).Trim();
        if (n.Length > 0 && (n[0] == '▲' || n[0] == '△')) n = "-" + n[1..].TrimStart();
        return n.Replace('−', '-');
    }

    /// <summary>"0123", "-01": a zero before another digit.</summary>
    public static bool HasLeadingZero(string s) => HasLeadingZeroNormalized(Normalize(s));

    internal static bool HasLeadingZeroNormalized(string normalized)
    {
        var n = normalized.TrimStart('+', '-');
        return n.Length > 1 && n[0] == '0' && char.IsAsciiDigit(n[1]);
    }

    public static bool TryInt(string s, out long value) => TryIntNormalized(Normalize(s), out value);

    internal static bool TryIntNormalized(string n, out long value)
    {
        value = 0;
        if (IsPlainInteger(n)) return long.TryParse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        return IntegerText.IsMatch(n) && long.TryParse(n.Replace(",", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Digits with at most a leading sign: the common case, parsed without the pattern.</summary>
    private static bool IsPlainInteger(string n)
    {
        var start = n.Length > 0 && (n[0] == '-' || n[0] == '+') ? 1 : 0;
        if (n.Length == start || n.Length - start > 18) return false;
        for (var i = start; i < n.Length; i++) if (!char.IsAsciiDigit(n[i])) return false;
        return true;
    }

    public static bool TryNumeric(string s, out double value) => TryNumericNormalized(Normalize(s), out value);

    internal static bool TryNumericNormalized(string n, out double value)
    {
        value = 0;
        if (IsPlainInteger(n)) return double.TryParse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        return n.Length > 0 && n != "-" && n != "." && DecimalText.IsMatch(n)
            && double.TryParse(n.Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryBool(string s, out bool value) => TryBoolNormalized(Normalize(s), out value);

    internal static bool TryBoolNormalized(string n, out bool value)
    {
        switch (n.Length is 4 or 5 ? n.ToLowerInvariant() : "")
        {
            case "true": value = true; return true;
            case "false": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>A date or a timestamp; <paramref name="hasTime"/> tells which.</summary>
    public static bool TryDateTime(string s, out DateTime value, out bool hasTime) => TryDateTimeNormalized(Normalize(s), out value, out hasTime);

    internal static bool TryDateTimeNormalized(string n, out DateTime value, out bool hasTime)
    {
        value = default;
        hasTime = false;
        // Every date starts with a digit or an era name: most text is ruled out before the pattern runs.
        if (n.Length < 6 || !(char.IsAsciiDigit(n[0]) || n[0] is '令' or '平' or '昭' or '大' or '明' or 'R' or 'H' or 'S' or 'T' or 'M')) return false;
        var m = DateText.Match(n);
        if (!m.Success) return false;
        var era = m.Groups["era"].Value;
        var yearText = m.Groups["y"].Value;
        int year;
        if (yearText == "元") { if (era.Length == 0) return false; year = 1; }
        else year = int.Parse(yearText, CultureInfo.InvariantCulture);
        if (era.Length > 0) year += EraStart[era];
        else if (yearText.Length != 4) return false;
        var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        value = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
        if (!m.Groups["hh"].Success) return true;
        var hh = int.Parse(m.Groups["hh"].Value, CultureInfo.InvariantCulture);
        var mi = int.Parse(m.Groups["mi"].Value, CultureInfo.InvariantCulture);
        var ss = m.Groups["ss"].Success ? int.Parse(m.Groups["ss"].Value, CultureInfo.InvariantCulture) : 0;
        if (hh > 23 || mi > 59 || ss > 59) return false;
        value = value.AddHours(hh).AddMinutes(mi).AddSeconds(ss);
        if (m.Groups["f"].Success)
            value = value.AddTicks(long.Parse(m.Groups["f"].Value.PadRight(7, '0'), CultureInfo.InvariantCulture));
        hasTime = true;
        return true;
    }

    /// <summary>
    /// The value to store for <paramref name="text"/> in a column of type <paramref name="type"/>, or false when it
    /// does not fit. Empty text is null in every type.
    /// </summary>
    public static bool TryConvert(string? text, ColumnType type, out object? value)
    {
        value = null;
        if (text is null || (type != ColumnType.Text && string.IsNullOrWhiteSpace(text))) return true;
        switch (type)
        {
            case ColumnType.Int when TryInt(text, out var l): value = l; return true;
            case ColumnType.Numeric when TryNumeric(text, out var d): value = d; return true;
            case ColumnType.Bool when TryBool(text, out var b): value = b ? 1L : 0L; return true;
            case ColumnType.Date when TryDateTime(text, out var dt, out var hasTime) && !hasTime:
                value = dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture); return true;
            case ColumnType.Timestamp when TryDateTime(text, out var ts, out _):
                value = ts.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'); return true;
            case ColumnType.Text: value = text; return true;
            default: return false;
        }
    }
}

/// <summary>
/// Infers a column's type from every value it holds: each non-empty value rules out the types it does not fit, and
/// the narrowest type left wins. A column with no values, or whose values fit no type, is text.
/// </summary>
public sealed class TypeGuess
{
    private bool _int = true, _numeric = true, _bool = true, _date = true, _timestamp = true;
    private bool _seen;

    /// <summary>
    /// Headers that name identifiers written with digits (全国地方公共団体コード, 郵便番号, 電話番号, ID): text whatever the values
    /// look like, so a file whose codes happen to lack a leading zero loads like one whose codes have it.
    /// </summary>
    public static bool IsCodeHeader(string header)
    {
        var h = CellValues.Normalize(header).ToLowerInvariant();
        return h.EndsWith("コード", StringComparison.Ordinal) || h.Contains("番号", StringComparison.Ordinal)
            || h.Contains("電話", StringComparison.Ordinal) || h.Contains("郵便", StringComparison.Ordinal)
            || h.EndsWith("code", StringComparison.Ordinal) || h == "id";
    }

    public void Add(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        _seen = true;
        if (!(_int || _numeric || _bool || _date || _timestamp)) return;
        var n = CellValues.Normalize(text);
        // A leading zero (全国地方公共団体コード 011002, postal codes, phone numbers) marks a code, not a number:
        // as a number it would lose the zero.
        if ((_int || _numeric) && CellValues.HasLeadingZeroNormalized(n)) _int = _numeric = false;
        if (_int && !CellValues.TryIntNormalized(n, out _)) _int = false;
        if (_numeric && !CellValues.TryNumericNormalized(n, out _)) _numeric = false;
        if (_bool && !CellValues.TryBoolNormalized(n, out _)) _bool = false;
        if (_date || _timestamp)
        {
            if (!CellValues.TryDateTimeNormalized(n, out _, out var hasTime)) _date = _timestamp = false;
            else if (hasTime) _date = false;
        }
    }

    public ColumnType Result =>
        !_seen ? ColumnType.Text
        : _int ? ColumnType.Int
        : _numeric ? ColumnType.Numeric
        : _bool ? ColumnType.Bool
        : _date ? ColumnType.Date
        : _timestamp ? ColumnType.Timestamp
        : ColumnType.Text;
}
