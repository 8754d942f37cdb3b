using System.Text;

namespace Catalog.Core.TableValidation;

/// <summary>
/// Where a table sits in its file: the header record, the title rows above it and the footnote rows among and below
/// the data (「※…」「出典：…」, or a lone value under a wide table with no data after it).
/// </summary>
public sealed record TableLayout(int HeaderIndex, int Width, IReadOnlyList<int> TitleRows, IReadOnlySet<int> FootnoteRows)
{
    private const int HeaderSearchRows = 30;

    public static TableLayout Find(CsvText text, TableSchema? schema)
    {
        var records = text.Records;
        var leading = records.Take(HeaderSearchRows).ToList();
        var headerIndex = 0;
        if (leading.Count > 0)
        {
            // With a schema, the header is the row naming most of its columns; else, as CsvIngestor finds it, the first
            // row about as wide as the widest leading row.
            var best = schema is null ? 0 : leading.Max(r => Matches(r, schema));
            if (best > 0) headerIndex = leading.FindIndex(r => Matches(r, schema!) == best);
            else
            {
                var widest = leading.Max(r => r.NonEmpty);
                headerIndex = Math.Max(0, leading.FindIndex(r => r.NonEmpty >= Math.Max(1, (int)Math.Ceiling(widest * 0.6))));
            }
        }
        var header = headerIndex < records.Count ? records[headerIndex].Cells : [];
        var width = Array.FindLastIndex(header, c => !string.IsNullOrWhiteSpace(c)) + 1;
        var titles = records.Take(headerIndex).Where(r => r.NonEmpty > 0).Select(r => r.RowNumber).ToList();

        var footnotes = new HashSet<int>();
        for (var i = headerIndex + 1; i < records.Count; i++)
            if (IsNoteText(records[i].Cells.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c)))) footnotes.Add(records[i].RowNumber);
        if (width >= 3)
            for (var i = records.Count - 1; i > headerIndex; i--)
            {
                var n = records[i].NonEmpty;
                if (n == 0) continue;
                if (n > 1 && !footnotes.Contains(records[i].RowNumber)) break;
                footnotes.Add(records[i].RowNumber);
            }
        // Values under a blank header widen the table: that column is reported, not dropped.
        for (var i = headerIndex + 1; i < records.Count; i++)
            if (!footnotes.Contains(records[i].RowNumber))
                width = Math.Max(width, Array.FindLastIndex(records[i].Cells, c => !string.IsNullOrWhiteSpace(c)) + 1);
        return new TableLayout(headerIndex, width, titles, footnotes);
    }

    private static int Matches(CsvRecord r, TableSchema schema) =>
        r.Cells.Count(c => schema.Fields.Any(f => Same(f.Name, c) || f.Aliases.Any(a => Same(a, c))));

    public static bool Same(string expected, string label) =>
        expected == label.Trim() || expected == label.Trim().Normalize(NormalizationForm.FormKC);

    private static readonly string[] NotePrefixes = ["※", "＊", "*", "注）", "注:", "注：", "（注", "(注", "出典", "資料：", "資料:", "備考：", "単位：", "単位:"];

    private static bool IsNoteText(string? first) =>
        first is not null && NotePrefixes.Any(p => first.TrimStart().StartsWith(p, StringComparison.Ordinal));
}
