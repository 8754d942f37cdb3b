using System.Globalization;
using System.Text;
using AngleSharp.Html.Parser;
using ExcelDataReader;

namespace Catalog.Core.DataStore;

/// <summary>One table of a file (the file itself, a sheet of a workbook, a table of a page), readable more than once.</summary>
public sealed record TablePart(string Name, Func<CancellationToken, IEnumerable<string?[]>> Rows);

/// <summary>The tabular formats the DataStore loads, and how each is cut into <see cref="TablePart"/>s.</summary>
public enum TableFormat { Csv, Tsv, Spreadsheet, Html }

public static class TableSources
{
    static TableSources() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The format of a resource by its format field, else by its file name; null when it is not tabular.</summary>
    public static TableFormat? FormatOf(string? format, string url)
    {
        var f = format?.Trim().ToUpperInvariant();
        var name = url.Split('?', '#')[0].ToLowerInvariant();
        if (f == "TSV" || (string.IsNullOrEmpty(f) && name.EndsWith(".tsv", StringComparison.Ordinal))) return TableFormat.Tsv;
        if (f == "CSV" || (string.IsNullOrEmpty(f) && name.EndsWith(".csv", StringComparison.Ordinal))) return TableFormat.Csv;
        if (f is "XLSX" or "XLS" or "XLSM" or "EXCEL"
            || (string.IsNullOrEmpty(f) && (name.EndsWith(".xlsx", StringComparison.Ordinal) || name.EndsWith(".xls", StringComparison.Ordinal))))
            return TableFormat.Spreadsheet;
        if (f is "HTML" or "HTM" || (string.IsNullOrEmpty(f) && (name.EndsWith(".html", StringComparison.Ordinal) || name.EndsWith(".htm", StringComparison.Ordinal))))
            return TableFormat.Html;
        // A file name with a tabular extension wins over a format field that names no format we know.
        if (name.EndsWith(".tsv", StringComparison.Ordinal)) return TableFormat.Tsv;
        if (name.EndsWith(".csv", StringComparison.Ordinal)) return TableFormat.Csv;
        if (name.EndsWith(".xlsx", StringComparison.Ordinal) || name.EndsWith(".xls", StringComparison.Ordinal)) return TableFormat.Spreadsheet;
        return null;
    }

    /// <summary>
    /// Each visible sheet of an XLSX or XLS workbook. Cells are handed on as text as a CSV would hold them (numbers
    /// invariant, dates ISO 8601), so the header, footnote and type rules are the CSV's.
    /// </summary>
    public static IReadOnlyList<TablePart> Sheets(string path)
    {
        var parts = new List<TablePart>();
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = ExcelReaderFactory.CreateReader(stream);
            var index = 0;
            do
            {
                var sheet = index++;
                if (reader.VisibleState is "hidden" or "veryhidden") continue;
                parts.Add(new TablePart(string.IsNullOrWhiteSpace(reader.Name) ? $"Sheet{sheet + 1}" : reader.Name.Trim(),
                    ct => SheetRows(path, sheet, ct)));
            } while (reader.NextResult());
        }
        catch (Exception e) when (e is ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException or NotSupportedException)
        {
            throw new IngestionException("The file is not a workbook that can be read (XLSX or XLS).");
        }
        return parts;
    }

    private static IEnumerable<string?[]> SheetRows(string path, int sheet, CancellationToken ct)
    {
        using var stream = File.OpenRead(path);
        using var reader = ExcelReaderFactory.CreateReader(stream);
        for (var i = 0; i < sheet; i++) reader.NextResult();
        long n = 0;
        while (reader.Read())
        {
            if ((++n & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = CellText(reader.GetValue(i));
            yield return row;
        }
    }

    /// <summary>A cell's value written as a CSV would carry it.</summary>
    public static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t when t.TimeOfDay == TimeSpan.Zero => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        TimeSpan s => s.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>
    /// Each table of an HTML page, as the harvester reads a department page's tables: rows of <c>th</c>/<c>td</c>
    /// text, a cell spanning columns repeated in each, a cell spanning rows repeated below, so every row is as wide
    /// as the table.
    /// </summary>
    public static IReadOnlyList<TablePart> HtmlTables(string path)
    {
        var tables = ReadHtml(path);
        return tables.Select((t, i) => new TablePart(t.Caption ?? $"表{i + 1}", _ => t.Rows)).ToList();
    }

    private const int MaxSpan = 1000;

    private static List<(string? Caption, List<string?[]> Rows)> ReadHtml(string path)
    {
        var html = CsvIngestor.ReadText(path);
        var document = new HtmlParser().ParseDocument(html);
        var tables = new List<(string?, List<string?[]>)>();
        foreach (var table in document.QuerySelectorAll("table"))
        {
            // Only this table's own rows: a nested table is a table of its own.
            var rows = new List<string?[]>();
            var carried = new Dictionary<int, (string Text, int Left)>();
            foreach (var tr in table.QuerySelectorAll("tr").Where(tr => tr.Closest("table") == table))
            {
                var cells = new List<string?>();
                var col = 0;
                void Carry()
                {
                    while (carried.TryGetValue(col, out var c))
                    {
                        cells.Add(c.Text);
                        if (c.Left <= 1) carried.Remove(col); else carried[col] = (c.Text, c.Left - 1);
                        col++;
                    }
                }
                foreach (var cell in tr.Children.Where(c => c.LocalName is "td" or "th"))
                {
                    Carry();
                    var text = Clean(cell.TextContent);
                    var colspan = Span(cell.GetAttribute("colspan"));
                    var rowspan = Span(cell.GetAttribute("rowspan"));
                    for (var k = 0; k < colspan; k++)
                    {
                        cells.Add(text);
                        if (rowspan > 1) carried[col] = (text, rowspan - 1);
                        col++;
                    }
                }
                Carry();
                if (cells.Count > 0) rows.Add(cells.ToArray());
            }
            var caption = Clean(table.QuerySelector("caption")?.TextContent ?? "");
            if (rows.Count >= 2) tables.Add((caption.Length > 0 ? caption : null, rows));
        }
        return tables;
    }

    private static int Span(string? attribute) =>
        int.TryParse(attribute, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 1 ? Math.Min(n, MaxSpan) : 1;

    private static string Clean(string text) => string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n', '\u3000'], StringSplitOptions.RemoveEmptyEntries));
}
