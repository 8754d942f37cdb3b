using System.Globalization;
using System.Text.RegularExpressions;

namespace Catalog.Harvester.Profiling;

/// <summary>
/// The header, size and column types of a table read as rows of cells, whatever file it came from: title rows above
/// the header and footnote rows under the data, as Mie's files have them, are not counted.
/// </summary>
public static partial class TableShape
{
    /// <summary>Rows looked at to find the header: a title, a date line and a blank row often come first.</summary>
    private const int HeaderWindow = 10;

    public static (IReadOnlyList<string>? Header, int? Rows, int? Columns, IReadOnlyList<string>? Types) Of(IEnumerable<string[]> records)
    {
        var leading = new List<string[]>();
        using var e = records.GetEnumerator();
        while (leading.Count < HeaderWindow && e.MoveNext())
            if (!e.Current.All(string.IsNullOrWhiteSpace)) leading.Add(e.Current);
        if (leading.Count == 0) return (null, null, null, null);

        // The header is the first row as wide as the widest of the first rows; narrower rows above it are titles.
        var widest = leading.Max(Filled);
        var at = leading.FindIndex(r => Filled(r) == widest);
        var header = Trimmed(leading[at]);
        var types = new ColumnTypes(header.Length);
        var rows = 0;
        foreach (var r in leading.Skip(at + 1).Concat(Rest(e)))
        {
            if (r.All(string.IsNullOrWhiteSpace) || IsFootnote(r)) continue;
            rows++;
            types.Add(r);
        }
        return (header, rows, header.Length, types.Result());
    }

    /// <summary>
    /// A note under the table (※出典…, ＊単位：件, 注1…) in its first cell with the rest empty: Mie's files end with them,
    /// and they are not rows of data.
    /// </summary>
    public static bool IsFootnote(IReadOnlyList<string> record)
    {
        var first = record.Count > 0 ? record[0].TrimStart() : "";
        if (first.Length == 0 || !(first[0] is '※' or '＊' or '*' or '注' || first.StartsWith("出典", StringComparison.Ordinal))) return false;
        for (var i = 1; i < record.Count; i++) if (!string.IsNullOrWhiteSpace(record[i])) return false;
        return true;
    }

    private static IEnumerable<string[]> Rest(IEnumerator<string[]> e)
    {
        while (e.MoveNext()) yield return e.Current;
    }

    private static int Filled(string[] r) => r.Count(c => !string.IsNullOrWhiteSpace(c));

    private static string[] Trimmed(string[] r)
    {
        var n = r.Length;
        while (n > 0 && string.IsNullOrWhiteSpace(r[n - 1])) n--;
        return r[..n];
    }

    [GeneratedRegex(@"^\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?$")]
    private static partial Regex IsoDate();

    /// <summary>Per column the narrowest of integer, number, date, text that holds every non-empty value.</summary>
    private sealed class ColumnTypes(int width)
    {
        private readonly int[] _kind = new int[width]; // 0 unseen, 1 integer, 2 number, 3 date, 4 text

        public void Add(string[] row)
        {
            for (var i = 0; i < _kind.Length && i < row.Length; i++)
            {
                var v = row[i].Trim();
                if (v.Length == 0) continue;
                var k = Kind(v);
                _kind[i] = _kind[i] == 0 ? k
                    : _kind[i] == k ? k
                    : (_kind[i] is 1 or 2 && k is 1 or 2) ? 2
                    : 4;
            }
        }

        public IReadOnlyList<string> Result() =>
            _kind.Select(k => k switch { 1 => "integer", 2 => "number", 3 => "date", _ => "text" }).ToArray();

        private static int Kind(string v)
        {
            // A leading zero (codes, phone numbers) is text: reading it as a number would lose the zero.
            if (v.Length > 1 && v[0] == '0' && v[1] != '.') return 4;
            if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return 1;
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return 2;
            if (IsoDate().IsMatch(v)) return 3;
            return 4;
        }
    }
}
