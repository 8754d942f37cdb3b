using System.Text;

namespace Catalog.Core.TableValidation;

/// <summary>One CSV record: its 1-based row number (blank lines count, as Frictionless counts them) and its cells.</summary>
public sealed record CsvRecord(int RowNumber, string[] Cells, bool SpansLines)
{
    public int NonEmpty => Cells.Count(c => !string.IsNullOrWhiteSpace(c));
    public string Cell(int index) => index < Cells.Length ? Cells[index] : "";
}

/// <summary>How the bytes of a file were read.</summary>
public enum TextEncoding { Utf8Bom, Utf8, ShiftJis, EucJp, Unknown }

/// <summary>
/// A CSV file decoded and split into records (RFC 4180: quoted fields may hold separators, quotes and line breaks).
/// Decoding follows what robust readers of Japanese open data do: a UTF-8 BOM, strict UTF-8, then CP932 and EUC-JP
/// strictly; bytes none of them reads are decoded as CP932 with U+FFFD for the rest, and reported.
/// </summary>
public sealed class CsvText
{
    static CsvText() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public required TextEncoding Encoding { get; init; }
    public required IReadOnlyList<CsvRecord> Records { get; init; }
    public required char Separator { get; init; }

    public static string EncodingName(TextEncoding e) => e switch
    {
        TextEncoding.Utf8Bom => "utf-8-sig",
        TextEncoding.Utf8 => "utf-8",
        TextEncoding.ShiftJis => "shift_jis",
        TextEncoding.EucJp => "euc-jp",
        _ => "unknown",
    };

    public static CsvText Read(byte[] bytes, int maxRecords = int.MaxValue)
    {
        var (encoding, text) = Decode(bytes);
        var separator = GuessSeparator(text);
        return new CsvText { Encoding = encoding, Separator = separator, Records = Split(text, separator, maxRecords) };
    }

    public static (TextEncoding, string) Decode(byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) && TryStrict(new UTF8Encoding(false, true), bytes.AsSpan(3), out var bom))
            return (TextEncoding.Utf8Bom, bom);
        if (TryStrict(new UTF8Encoding(false, true), bytes, out var utf8)) return (TextEncoding.Utf8, utf8);
        if (TryStrict(System.Text.Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback), bytes, out var sjis))
            return (TextEncoding.ShiftJis, sjis);
        if (TryStrict(System.Text.Encoding.GetEncoding(51932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback), bytes, out var euc))
            return (TextEncoding.EucJp, euc);
        return (TextEncoding.Unknown, System.Text.Encoding.GetEncoding(932, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD")).GetString(bytes));
    }

    private static bool TryStrict(Encoding encoding, ReadOnlySpan<byte> bytes, out string text)
    {
        try { text = encoding.GetString(bytes); return true; }
        catch (DecoderFallbackException) { text = ""; return false; }
    }

    private static char GuessSeparator(string text)
    {
        var firstLine = text.AsSpan(0, Math.Min(text.Length, 4096));
        var end = firstLine.IndexOfAny('\r', '\n');
        if (end >= 0) firstLine = firstLine[..end];
        return firstLine.Count('\t') > firstLine.Count(',') ? '\t' : ',';
    }

    private static List<CsvRecord> Split(string text, char separator, int maxRecords)
    {
        var records = new List<CsvRecord>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var inQuotes = false;
        var spansLines = false;
        var i = 0;
        void EndCell() { cells.Add(cell.ToString()); cell.Clear(); }
        void EndRecord()
        {
            EndCell();
            records.Add(new CsvRecord(records.Count + 1, cells.ToArray(), spansLines));
            cells.Clear();
            spansLines = false;
        }
        while (i < text.Length && records.Count < maxRecords)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i += 2; continue; }
                    inQuotes = false;
                }
                else
                {
                    if (c == '\n') spansLines = true;
                    cell.Append(c);
                }
                i++;
                continue;
            }
            if (c == '"' && cell.Length == 0) inQuotes = true;
            else if (c == separator) EndCell();
            else if (c == '\r' || c == '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                EndRecord();
            }
            else cell.Append(c);
            i++;
        }
        if ((cell.Length > 0 || cells.Count > 0) && records.Count < maxRecords) EndRecord();
        return records;
    }
}
