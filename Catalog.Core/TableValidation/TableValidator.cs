using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Catalog.Core.Validation;

namespace Catalog.Core.TableValidation;

/// <summary>
/// Checks a CSV file against the machine-readability rules and, when given one, a Table Schema (a standard dataset's
/// or the resource's own). Every finding names its row and column as Frictionless counts them and the rule it breaks.
/// </summary>
public static partial class TableValidator
{
    // Japan, generously: 沖ノ鳥島 20.4°N to 択捉島 45.6°N, 与那国島 122.9°E to 南鳥島 153.9°E.
    private const double MinLat = 20, MaxLat = 46, MinLon = 122, MaxLon = 154;

    /// <summary>
    /// Beyond this many bytes only the first whole lines are checked: a file as large as an upload may be (100 MB) would
    /// take several times its size in memory as text. A line feed is never part of a UTF-8, CP932 or EUC-JP character,
    /// so cutting after one keeps the text decodable.
    /// </summary>
    public const int MaxBytes = 32 * 1024 * 1024;

    public static TableReport Validate(byte[] file, string fileName, TableSchema? schema)
    {
        var clock = Stopwatch.StartNew();
        var findings = new Findings();
        var bytes = file.Length <= MaxBytes ? file : file[..(Array.LastIndexOf(file, (byte)'\n', MaxBytes - 1) + 1)];
        findings.Partial = bytes.Length < file.Length;
        var text = CsvText.Read(bytes);
        if (text.Encoding == TextEncoding.Unknown)
            findings.Add(TableRules.EncodingError, "UTF-8・Shift_JIS・EUC-JPのどれとしても読めない文字があります。");
        else if (text.Encoding is TextEncoding.ShiftJis or TextEncoding.EucJp)
            findings.Add(TableRules.EncodingNotUtf8, $"文字コードが{CsvText.EncodingName(text.Encoding)}です。UTF-8で保存してください。");

        var layout = TableLayout.Find(text, schema);
        var records = text.Records;
        var labels = layout.HeaderIndex < records.Count ? Enumerable.Range(0, layout.Width).Select(c => records[layout.HeaderIndex].Cell(c).Trim()).ToList() : [];
        if (records.Count == 0 || records.All(r => r.NonEmpty == 0))
        {
            findings.Add(TableRules.FileError, "ファイルに行がありません。");
            return Report(file, fileName, schema, text, labels, 0, findings, clock);
        }
        foreach (var row in layout.TitleRows)
            findings.Add(TableRules.TitleRow, $"{row}行目は見出しより上の表題の行です。見出しを1行目に置いてください。", row);
        var headerRow = records[layout.HeaderIndex].RowNumber;
        CheckHeader(labels, headerRow, findings);
        var columns = schema is null ? [] : MapColumns(schema, labels, headerRow, findings);

        var dataRows = 0;
        string[]? previous = null;
        for (var i = layout.HeaderIndex + 1; i < records.Count && !findings.Full; i++)
        {
            var record = records[i];
            if (layout.FootnoteRows.Contains(record.RowNumber))
            {
                findings.Add(TableRules.FootnoteRow, $"{record.RowNumber}行目は注記です。注記は表の外（説明欄など）に書いてください。",
                    record.RowNumber, cell: Truncate(string.Join(",", record.Cells.Where(c => c.Length > 0))));
                continue;
            }
            if (record.NonEmpty == 0)
            {
                findings.Add(TableRules.BlankRow, $"{record.RowNumber}行目は空行です。", record.RowNumber);
                continue;
            }
            dataRows++;
            CheckRow(record, previous, labels, schema, columns, findings);
            previous = record.Cells;
        }
        return Report(file, fileName, schema, text, labels, dataRows, findings, clock);
    }

    private static TableReport Report(byte[] bytes, string fileName, TableSchema? schema, CsvText text, List<string> labels,
        int dataRows, Findings findings, Stopwatch clock) => new()
    {
        FileName = fileName, Bytes = bytes.LongLength, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        Encoding = text.Encoding, Labels = labels, DataRows = dataRows, Findings = findings.List,
        Truncated = findings.Full, Partial = findings.Partial, SchemaName = schema?.Name, Elapsed = clock.Elapsed,
    };

    private static void CheckHeader(List<string> labels, int headerRow, Findings findings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < labels.Count; c++)
        {
            if (labels[c].Length == 0)
                findings.Add(TableRules.BlankHeader, $"{c + 1}列目の項目名が空欄です。", headerRow, null, c + 1);
            else if (!seen.Add(labels[c]))
                findings.Add(TableRules.DuplicateHeader, $"項目名「{labels[c]}」が2回以上あります。", headerRow, labels[c], c + 1);
        }
    }

    /// <summary>Schema field → column index (absent fields are left out), reporting missing and legacy headers.</summary>
    private static Dictionary<TableField, int> MapColumns(TableSchema schema, List<string> labels, int headerRow, Findings findings)
    {
        var map = new Dictionary<TableField, int>();
        foreach (var field in schema.Fields)
        {
            var index = labels.FindIndex(l => TableLayout.Same(field.Name, l));
            if (index < 0)
            {
                index = labels.FindIndex(l => field.Aliases.Any(a => TableLayout.Same(a, l)));
                if (index >= 0)
                    findings.Add(TableRules.LegacyHeader, $"項目名「{labels[index]}」は旧様式です。「{field.Name}」としてください。", headerRow, labels[index], index + 1);
            }
            if (index >= 0) map[field] = index;
            else if (field.MustExist)
                findings.Add(TableRules.MissingColumn, $"必須の項目「{field.Name}」の列がありません。", headerRow, field.Name);
        }
        return map;
    }

    private static void CheckRow(CsvRecord record, string[]? previous, List<string> labels, TableSchema? schema,
        Dictionary<TableField, int> columns, Findings findings)
    {
        var row = record.RowNumber;
        for (var c = 0; c < labels.Count; c++)
        {
            var value = record.Cell(c);
            var label = labels[c].Length > 0 ? labels[c] : null;
            if (value.Contains('\n'))
                findings.Add(TableRules.MultilineCell, $"{row}行目「{label}」のセルに改行があります。1件は1行に収めてください。", row, label, c + 1, Truncate(value));
            if (MachineDependent().Match(value) is { Success: true } md)
                findings.Add(TableRules.MachineDependent, $"{row}行目「{label}」に機種依存文字「{md.Value}」があります。", row, label, c + 1, Truncate(value));
        }
        if (schema is null)
        {
            // Without a schema: the first column left empty under a value is a merged cell's leftover, and a whole cell
            // that is a 和暦 date has no 西暦.
            if (previous is not null && labels.Count > 1 && string.IsNullOrWhiteSpace(record.Cell(0))
                && !string.IsNullOrWhiteSpace(previous.ElementAtOrDefault(0)))
                findings.Add(TableRules.MergedCell, $"{row}行目「{labels[0]}」が空欄です。上の行と同じ値でも省略せずに書いてください。", row, NullIfEmpty(labels[0]), 1);
            for (var c = 0; c < labels.Count; c++)
                if (Wareki.TryParse(record.Cell(c), out var d))
                    findings.Add(TableRules.Wareki, $"{row}行目「{labels[c]}」の「{record.Cell(c)}」は和暦です。西暦（{d:yyyy-MM-dd}）で書いてください。", row, NullIfEmpty(labels[c]), c + 1, record.Cell(c));
            return;
        }

        double? lat = null, lon = null;
        foreach (var (field, c) in columns)
        {
            var value = record.Cell(c).Trim();
            if (value.Length == 0)
            {
                if (!field.Required) continue;
                if (previous is not null && !string.IsNullOrWhiteSpace(previous.ElementAtOrDefault(c)))
                    findings.Add(TableRules.MergedCell, $"{row}行目「{field.Name}」が空欄です。上の行と同じ値でも省略せずに書いてください。", row, field.Name, c + 1);
                else
                    findings.Add(TableRules.Required, $"{row}行目「{field.Name}」は必須です。", row, field.Name, c + 1);
                continue;
            }
            var coordinate = CheckCell(field, value, row, c + 1, findings);
            if (field.Kind == FieldKind.Latitude) lat = coordinate;
            if (field.Kind == FieldKind.Longitude) lon = coordinate;
        }
        CheckCoordinates(lat, lon, row, columns, findings);
    }

    /// <summary>Checks one non-empty cell against its field; returns the number read from a coordinate cell.</summary>
    private static double? CheckCell(TableField field, string value, int row, int number, Findings findings)
    {
        var name = field.Name;
        var typed = field.Type is not ("string" or "any") || field.Kind is not (FieldKind.Plain or FieldKind.List) || field.Pattern is not null;
        if (typed && Wareki.HasWideDigits(value))
        {
            findings.Add(TableRules.WideDigits, $"{row}行目「{name}」の「{value}」に全角数字があります。半角数字で書いてください。", row, name, number, value);
            return null;
        }
        switch (field.Kind)
        {
            case FieldKind.LocalGovernmentCode:
                CheckCode(value, row, name, number, findings);
                return null;
            case FieldKind.Flag when value != "1":
                findings.Add(TableRules.Flag, $"{row}行目「{name}」の「{value}」は使えません。該当は「1」、非該当は空欄にしてください。", row, name, number, value);
                return null;
            case FieldKind.List when ListSeparators().IsMatch(value):
                findings.Add(TableRules.ListSeparator, $"{row}行目「{name}」の複数の値は半角セミコロン「;」で区切ってください。", row, name, number, value);
                break;
        }
        double? parsed = null;
        switch (field.Type)
        {
            case "number" or "integer":
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                    && (field.Type == "number" || n == Math.Floor(n) && !value.Contains('.') && !value.Contains('e', StringComparison.OrdinalIgnoreCase)))
                    parsed = n;
                else if (NumberWithExtras().IsMatch(value))
                    findings.Add(TableRules.NumberFormat, $"{row}行目「{name}」の「{value}」は数値だけにしてください（単位は項目名か説明に、桁区切りのカンマは付けない）。", row, name, number, value);
                else
                    findings.Add(TableRules.Type, $"{row}行目「{name}」の「{value}」は{(field.Type == "integer" ? "整数" : "数値")}ではありません。", row, name, number, value);
                break;
            case "date":
                if (Wareki.TryParse(value, out var d))
                    findings.Add(TableRules.Wareki, $"{row}行目「{name}」の「{value}」は和暦です。西暦（{d:yyyy-MM-dd}）で書いてください。", row, name, number, value);
                else if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    findings.Add(TableRules.Type, $"{row}行目「{name}」の「{value}」は日付（YYYY-MM-DD）ではありません。", row, name, number, value);
                break;
            case "time":
                if (!TimeOnly.TryParseExact(value, ["HH:mm", "HH:mm:ss", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    findings.Add(TableRules.Type, $"{row}行目「{name}」の「{value}」は時刻（hh:mm）ではありません。", row, name, number, value);
                break;
            case "string" when field.Kind == FieldKind.Plain && Wareki.TryParse(value, out var sd):
                findings.Add(TableRules.Wareki, $"{row}行目「{name}」の「{value}」は和暦です。西暦（{sd:yyyy-MM-dd}）で書いてください。", row, name, number, value);
                return null;
        }
        if (field.Enum is { } choices && field.Kind != FieldKind.Flag && !choices.Contains(value))
            findings.Add(TableRules.Enum, $"{row}行目「{name}」の「{value}」は使えません。「{string.Join("」「", choices)}」のどれかにしてください。", row, name, number, value);
        if (field.Pattern is { } pattern && !Matches(pattern, value))
            findings.Add(TableRules.Pattern, $"{row}行目「{name}」の「{value}」は決められた書き方（例：{field.Example}）に合いません。", row, name, number, value);
        if (field.Format == "uri" && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            findings.Add(TableRules.Type, $"{row}行目「{name}」の「{value}」はURL（http:// か https:// で始まる）ではありません。", row, name, number, value);
        return parsed;
    }

    private static void CheckCode(string value, int row, string name, int number, Findings findings)
    {
        if (LocalGovernmentCode.IsValid(value)) return;
        // A 5-digit value is read first as a code that lost its leading zero (092011 → 92011), then as one without its check digit.
        if (value.Length == 5 && value.All(char.IsAsciiDigit) && LocalGovernmentCode.IsValid("0" + value))
            findings.Add(TableRules.CodeLeadingZero, $"{row}行目「{name}」の「{value}」は先頭の0が落ちています（「0{value}」）。", row, name, number, value);
        else if (value.All(char.IsAsciiDigit) && value.Length == 5)
            findings.Add(TableRules.CodeCheckDigit, $"{row}行目「{name}」の「{value}」は検査数字がありません（「{value}{LocalGovernmentCode.CheckDigit(value)}」）。", row, name, number, value);
        else if (value.All(char.IsAsciiDigit) && value.Length == 6)
            findings.Add(TableRules.CodeCheckDigit, $"{row}行目「{name}」の「{value}」は検査数字が誤っています（正しくは「{value[..5]}{LocalGovernmentCode.CheckDigit(value.AsSpan(0, 5))}」）。", row, name, number, value);
        else
            findings.Add(TableRules.Pattern, $"{row}行目「{name}」の「{value}」は全国地方公共団体コード（6桁の数字）ではありません。", row, name, number, value);
    }

    private static void CheckCoordinates(double? lat, double? lon, int row, Dictionary<TableField, int> columns, Findings findings)
    {
        var latField = columns.Keys.FirstOrDefault(f => f.Kind == FieldKind.Latitude);
        var lonField = columns.Keys.FirstOrDefault(f => f.Kind == FieldKind.Longitude);
        bool InLat(double v) => v is >= MinLat and <= MaxLat;
        bool InLon(double v) => v is >= MinLon and <= MaxLon;
        if (lat is { } a && lon is { } o && !InLat(a) && !InLon(o) && InLon(a) && InLat(o))
        {
            findings.Add(TableRules.CoordinateSwapped, $"{row}行目の緯度「{a}」と経度「{o}」が入れ替わっています。", row, latField!.Name, columns[latField] + 1, a.ToString(CultureInfo.InvariantCulture));
            return;
        }
        if (lat is { } la && !InLat(la))
            findings.Add(TableRules.CoordinateOutside, $"{row}行目の緯度「{la}」は日本の範囲（北緯20〜46度）の外です。", row, latField!.Name, columns[latField] + 1, la.ToString(CultureInfo.InvariantCulture));
        if (lon is { } lo && !InLon(lo))
            findings.Add(TableRules.CoordinateOutside, $"{row}行目の経度「{lo}」は日本の範囲（東経122〜154度）の外です。", row, lonField!.Name, columns[lonField] + 1, lo.ToString(CultureInfo.InvariantCulture));
    }

    private static bool Matches(Regex pattern, string value)
    {
        try { return pattern.IsMatch(value); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static string Truncate(string s) => s.Length > 100 ? s[..100] + "…" : s;

    [GeneratedRegex(@"[\u2460-\u24FF\u2160-\u217F\u3220-\u325F\u3280-\u32FF\u3300-\u33FF\u2474-\u2487]")]
    private static partial Regex MachineDependent();

    [GeneratedRegex(@"[、,，；]")]
    private static partial Regex ListSeparators();

    // A number written with thousands separators, a unit or a mark: 1,234 / 800人 / 約500 / 1.5km / ▲20 / 300※
    [GeneratedRegex(@"^[^\d]{0,3}[-+▲△]?\d[\d,，]*(\.\d+)?\s*[^\d\s]{0,6}$")]
    private static partial Regex NumberWithExtras();

    private sealed class Findings
    {
        public List<TableFinding> List { get; } = [];
        public bool Full => List.Count >= TableReport.MaxFindings;
        public bool Partial { get; set; }

        public void Add(TableRule rule, string message, int? row = null, string? field = null, int? number = null, string? cell = null)
        {
            if (!Full) List.Add(new TableFinding(rule, message, row, field, number, cell));
        }
    }
}
