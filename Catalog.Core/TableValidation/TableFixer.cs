using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Catalog.Core.Validation;

namespace Catalog.Core.TableValidation;

/// <summary>A fixed file, and what changed.</summary>
public sealed record FixedTable(byte[] Bytes, IReadOnlyList<CsvRecord> Before, IReadOnlyList<CsvRecord> After, int CellsChanged, int RowsRemoved);

/// <summary>
/// Applies mechanical fixes to a CSV file: re-encoding as UTF-8, dropping title and footnote rows, narrowing
/// full-width digits in numeric cells, rewriting 和暦 dates as 西暦 and restoring the leading zero and check digit of
/// 全国地方公共団体コード. Nothing else in the file changes; cells are written back quoted only where CSV needs it.
/// </summary>
public static partial class TableFixer
{
    private static readonly string[] CodeHeaders = ["全国地方公共団体コード", "所在地_全国地方公共団体コード", "都道府県コード又は市区町村コード"];

    public static FixedTable Apply(byte[] bytes, TableSchema? schema, IReadOnlyCollection<string> fixes)
    {
        var text = CsvText.Read(bytes);
        var layout = TableLayout.Find(text, schema);
        var header = layout.HeaderIndex < text.Records.Count ? text.Records[layout.HeaderIndex].Cells : [];
        var codeColumns = Enumerable.Range(0, header.Length).Where(i =>
            CodeHeaders.Any(h => TableLayout.Same(h, header[i]))
            || schema?.Fields.Any(f => f.Kind == FieldKind.LocalGovernmentCode && TableLayout.Same(f.Name, header[i])) == true).ToHashSet();

        var removed = new HashSet<int>();
        if (fixes.Contains(TableFixes.StripTitleRows))
            foreach (var r in text.Records.Take(layout.HeaderIndex)) removed.Add(r.RowNumber);
        if (fixes.Contains(TableFixes.StripFootnoteRows)) removed.UnionWith(layout.FootnoteRows);

        var after = new List<CsvRecord>();
        var changed = 0;
        for (var i = 0; i < text.Records.Count; i++)
        {
            var record = text.Records[i];
            if (removed.Contains(record.RowNumber)) continue;
            var cells = record.Cells.ToArray();
            if (i > layout.HeaderIndex)
                for (var c = 0; c < cells.Length; c++)
                {
                    var fixedCell = FixCell(cells[c], codeColumns.Contains(c), fixes);
                    if (fixedCell != cells[c]) { cells[c] = fixedCell; changed++; }
                }
            after.Add(new CsvRecord(after.Count + 1, cells, record.SpansLines));
        }
        var encoding = fixes.Contains(TableFixes.Encoding) ? new UTF8Encoding(true) : Original(text.Encoding);
        var output = Serialize(after, text.Separator, encoding);
        return new FixedTable(output, text.Records, after, changed, removed.Count);
    }

    private static string FixCell(string cell, bool isCode, IReadOnlyCollection<string> fixes)
    {
        var value = cell;
        if (fixes.Contains(TableFixes.WideDigits) && Wareki.HasWideDigits(value))
        {
            // Only cells that are numbers, codes, dates or times once narrowed: text keeps its full-width characters.
            var narrow = value.Normalize(NormalizationForm.FormKC);
            if (NumericLike().IsMatch(narrow.Trim())) value = narrow.Trim();
        }
        if (fixes.Contains(TableFixes.Wareki) && Wareki.TryParse(value, out var date))
            value = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (fixes.Contains(TableFixes.LeadingZero) && isCode)
        {
            var v = value.Trim();
            if (v.Length == 5 && v.All(char.IsAsciiDigit))
                value = LocalGovernmentCode.IsValid("0" + v) ? "0" + v : v + LocalGovernmentCode.CheckDigit(v);
        }
        return value;
    }

    private static Encoding Original(TextEncoding e) => e switch
    {
        TextEncoding.Utf8Bom => new UTF8Encoding(true),
        TextEncoding.Utf8 => new UTF8Encoding(false),
        TextEncoding.EucJp => Encoding.GetEncoding(51932),
        _ => Encoding.GetEncoding(932),
    };

    private static byte[] Serialize(List<CsvRecord> records, char separator, Encoding encoding)
    {
        var sb = new StringBuilder();
        foreach (var r in records)
        {
            for (var c = 0; c < r.Cells.Length; c++)
            {
                if (c > 0) sb.Append(separator);
                var cell = r.Cells[c];
                if (cell.IndexOfAny([separator, '"', '\r', '\n']) >= 0) sb.Append('"').Append(cell.Replace("\"", "\"\"")).Append('"');
                else sb.Append(cell);
            }
            sb.Append("\r\n");
        }
        return [.. encoding.GetPreamble(), .. encoding.GetBytes(sb.ToString())];
    }

    [GeneratedRegex(@"^[-+]?[0-9][0-9.,:/\-]*$")]
    private static partial Regex NumericLike();
}
