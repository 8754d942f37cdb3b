namespace Catalog.Core.DataStore;

/// <summary>
/// What a table turned out to be: where its header is (title rows above it set aside), the last data row (footnotes
/// below it such as 「＊単位：件」 set aside), its columns with their types, and how many data rows it has.
/// </summary>
public sealed record TableProfile(long HeaderOrdinal, long LastDataOrdinal, IReadOnlyList<RowColumn> Columns, long DataRows,
    IReadOnlyList<string> SetAside);

/// <summary>
/// The layout and type rules shared by every tabular format (CSV, TSV, spreadsheet sheets, HTML tables): a table is
/// read as rows of cell text, profiled in one pass and converted in a second, so a sheet is handled as a CSV is.
/// </summary>
public static class TableProfiler
{
    private const int HeaderSearchRows = 30;
    private const int MaxPendingRows = 1000;

    private static int NonEmpty(string?[] fields)
    {
        var n = 0;
        foreach (var f in fields) if (!string.IsNullOrWhiteSpace(f)) n++;
        return n;
    }

    private static string Line(string?[] row, char separator) => string.Join(separator, row).Trim(separator);

    /// <summary>Profiles <paramref name="rows"/>; null when the table has no non-blank row at all.</summary>
    public static TableProfile? Profile(IEnumerable<string?[]> rows, char separator, CancellationToken ct)
    {
        using var e = rows.GetEnumerator();
        // The header is the first of the leading rows that is about as wide as the widest of them.
        var leading = new List<string?[]>();
        while (leading.Count < HeaderSearchRows && e.MoveNext()) leading.Add(e.Current);
        if (leading.Count == 0 || leading.All(r => NonEmpty(r) == 0)) return null;
        var widest = leading.Max(NonEmpty);
        var headerOrdinal = leading.FindIndex(r => NonEmpty(r) >= Math.Max(1, (int)Math.Ceiling(widest * 0.6)));
        var header = leading[headerOrdinal];
        var width = Array.FindLastIndex(header, f => !string.IsNullOrWhiteSpace(f)) + 1;
        var names = ColumnNames(header.Take(width));
        var guesses = names.Select(_ => new TypeGuess()).ToArray();

        var setAside = leading.Take(headerOrdinal).Where(r => NonEmpty(r) > 0).Select(r => Line(r, separator)).ToList();
        var pending = new List<(long Ordinal, string?[] Fields)>();
        long lastData = headerOrdinal, dataRows = 0;
        void Take(string?[] row)
        {
            for (var i = 0; i < guesses.Length && i < row.Length; i++) guesses[i].Add(row[i]);
            dataRows++;
        }
        void Flush()
        {
            foreach (var (ordinal, fields) in pending) { Take(fields); lastData = ordinal; }
            pending.Clear();
        }
        void See(long ordinal, string?[] row)
        {
            var n = NonEmpty(row);
            if (n == 0) return;
            // A lone value in a wide table may be a footnote; it is data only if data follows it.
            if (n == 1 && width >= 3)
            {
                pending.Add((ordinal, row));
                if (pending.Count > MaxPendingRows) Flush();
                return;
            }
            Flush();
            Take(row);
            lastData = ordinal;
        }

        for (var i = headerOrdinal + 1; i < leading.Count; i++) See(i, leading[i]);
        long next = leading.Count;
        while (e.MoveNext())
        {
            if ((next & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
            See(next++, e.Current);
        }
        setAside.AddRange(pending.Select(p => Line(p.Fields, separator)));
        var columns = names.Select((n, i) => new RowColumn(n, TypeGuess.IsCodeHeader(n) ? ColumnType.Text : guesses[i].Result)).ToList();
        return new TableProfile(headerOrdinal, lastData, columns, dataRows, setAside);
    }

    /// <summary>Headers as written, trimmed; blank ones named by position, repeated ones numbered.</summary>
    private static List<string> ColumnNames(IEnumerable<string?> header)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { RowColumns.IdName };
        foreach (var raw in header)
        {
            var name = (raw ?? "").Trim().Replace("\0", "");
            if (name.Length == 0) name = $"column_{names.Count + 1}";
            var unique = name;
            for (var n = 2; !seen.Add(unique); n++) unique = $"{name}_{n}";
            names.Add(unique);
        }
        return names;
    }

    /// <summary>
    /// The data rows of <paramref name="rows"/> (between the header and the footnotes, blank rows skipped), each cell
    /// converted to its column's type or kept as text when it does not fit, placed at <paramref name="positions"/>
    /// of a row <paramref name="width"/> wide (so several sheets can fill one table).
    /// </summary>
    public static IEnumerable<object?[]> Convert(IEnumerable<string?[]> rows, TableProfile profile, IReadOnlyList<ColumnType> types,
        IReadOnlyList<int> positions, int width, Action<object?[]>? fill, CancellationToken ct)
    {
        long ordinal = -1;
        foreach (var fields in rows)
        {
            ordinal++;
            if (ordinal <= profile.HeaderOrdinal) continue;
            if (ordinal > profile.LastDataOrdinal) yield break;
            if ((ordinal & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
            if (NonEmpty(fields) == 0) continue;
            var row = new object?[width];
            fill?.Invoke(row);
            for (var i = 0; i < positions.Count; i++)
            {
                var text = i < fields.Length ? fields[i] : null;
                var p = positions[i];
                row[p] = CellValues.TryConvert(text, types[p], out var value) ? value : text;
            }
            yield return row;
        }
    }

    /// <summary>The type two parts of one column agree on: the same type, a number when one is integer, else text.</summary>
    public static ColumnType Merge(ColumnType a, ColumnType b) =>
        a == b ? a
        : (a, b) is (ColumnType.Int, ColumnType.Numeric) or (ColumnType.Numeric, ColumnType.Int) ? ColumnType.Numeric
        : (a, b) is (ColumnType.Date, ColumnType.Timestamp) or (ColumnType.Timestamp, ColumnType.Date) ? ColumnType.Timestamp
        : ColumnType.Text;
}
