using System.Globalization;
using System.Text;
using UtfUnknown;

namespace Catalog.Harvester.Profiling;

/// <summary>What was learnt from a file's bytes.</summary>
public sealed record FileProfile(
    string Format,
    string MimeType,
    long Size,
    string Sha256,
    string? Encoding,
    bool MachineReadable,
    IReadOnlyList<string>? Header,
    int? Rows,
    int? Columns,
    IReadOnlyList<string>? Types = null);

/// <summary>Encoding detection (the metadata schema's values) and a table's shape: CSV, TSV, or an Excel workbook's first sheet.</summary>
public static class FileProfiler
{
    static FileProfiler() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly Dictionary<string, string> MimeTypes = new()
    {
        ["CSV"] = "text/csv", ["TSV"] = "text/tab-separated-values", ["JSON"] = "application/json", ["XML"] = "application/xml",
        ["XLSX"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ["XLS"] = "application/vnd.ms-excel",
        ["ZIP"] = "application/zip", ["PDF"] = "application/pdf",
    };

    public static string MimeType(string format) => MimeTypes.GetValueOrDefault(format, "application/octet-stream");

    /// <summary>Whether the body matches its format well enough: a soft 404 page served for a CSV link is not the CSV.</summary>
    public static string? Mismatch(string format, string path, string? contentType)
    {
        var head = new byte[512];
        int n;
        using (var f = File.OpenRead(path)) n = f.Read(head, 0, head.Length);
        var start = Encoding.ASCII.GetString(head, 0, n).TrimStart('\uFEFF', ' ', '\r', '\n', '\t').ToLowerInvariant();
        var looksHtml = start.StartsWith("<!doctype html", StringComparison.Ordinal) || start.StartsWith("<html", StringComparison.Ordinal);
        return format switch
        {
            "PDF" when !start.StartsWith("%pdf", StringComparison.Ordinal) => "is not a PDF",
            "XLSX" or "ZIP" when !(n >= 2 && head[0] == 'P' && head[1] == 'K') => "is not a ZIP container",
            "XLS" when !(n >= 4 && head[0] == 0xD0 && head[1] == 0xCF) && !(n >= 2 && head[0] == 'P' && head[1] == 'K') => "is not an Excel workbook",
            _ when format is not ("XML") && (looksHtml || contentType == "text/html") => $"is an HTML page ({contentType ?? "no type"}), not {format}",
            _ => null,
        };
    }

    public static FileProfile Profile(string path, string format, long size, string sha256)
    {
        string? encoding = null;
        IReadOnlyList<string>? header = null;
        int? rows = null, columns = null;
        IReadOnlyList<string>? types = null;
        if (format is "CSV" or "TSV" or "JSON" or "XML")
        {
            var bytes = File.ReadAllBytes(path);
            encoding = DetectEncoding(bytes);
            if (format is "CSV" or "TSV")
            {
                var text = ToEncoding(encoding).GetString(bytes).TrimStart('\uFEFF');
                (header, rows, columns, types) = TableShape.Of(CsvRecords.Read(text, format == "TSV" ? '\t' : ','));
            }
        }
        else if (format is "XLSX" or "XLS")
        {
            (header, rows, columns, types) = TableShape.Of(WorkbookRows.FirstSheet(path));
        }
        return new FileProfile(format, MimeType(format), size, sha256, encoding, format != "PDF", header, rows, columns, types);
    }

    /// <summary>utf-8_sig, utf-8, shift_jis, cp932 (Shift_JIS with NEC/IBM extensions such as 髙 or ①) or euc_jp; null for binary.</summary>
    public static string? DetectEncoding(byte[] bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) return "utf-8_sig";
        if (Decodes(bytes, new UTF8Encoding(false, true))) return "utf-8";
        var sjis = Decodes(WithoutNecSelected(bytes), Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback));
        var euc = Decodes(bytes, Encoding.GetEncoding(51932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback));
        if (sjis && euc)
        {
            // Both read the bytes: ask the statistical detector which is the likelier.
            var guess = CharsetDetector.DetectFromBytes(bytes).Detected?.EncodingName?.ToLowerInvariant();
            if (guess is not null && guess.Contains("euc")) return "euc_jp";
        }
        else if (euc) return "euc_jp";
        else if (!sjis) return null;
        return UsesCp932Extensions(bytes) ? "cp932" : "shift_jis";
    }

    public static Encoding ToEncoding(string? name) => name switch
    {
        "shift_jis" or "cp932" => Encoding.GetEncoding(932),
        "euc_jp" => Encoding.GetEncoding(51932),
        _ => new UTF8Encoding(false),
    };

    private static bool Decodes(byte[] bytes, Encoding encoding)
    {
        try { encoding.GetCharCount(bytes); return true; }
        catch (DecoderFallbackException) { return false; }
    }

    /// <summary>
    /// The NEC-selected IBM rows (lead bytes 0xED, 0xEE) swapped for an ordinary character: Windows reads them, .NET's
    /// code page 932 does not, and they are still CP932 text.
    /// </summary>
    private static byte[] WithoutNecSelected(byte[] bytes)
    {
        byte[]? copy = null;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b is not ((>= 0x81 and <= 0x9F) or (>= 0xE0 and <= 0xFC))) continue;
            if (b is 0xED or 0xEE && i + 1 < bytes.Length)
            {
                copy ??= (byte[])bytes.Clone();
                copy[i] = 0x81;
                copy[i + 1] = 0x40;
            }
            i++;
        }
        return copy ?? bytes;
    }

    /// <summary>Lead bytes of the NEC special row (0x87), NEC-selected IBM (0xED, 0xEE) and IBM (0xFA-0xFC) extensions.</summary>
    private static bool UsesCp932Extensions(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b is (>= 0x81 and <= 0x9F) or (>= 0xE0 and <= 0xFC))
            {
                if (b is 0x87 or 0xED or 0xEE or >= 0xFA) return true;
                i++;
            }
        }
        return false;
    }
}

/// <summary>RFC 4180 records (quoted fields may hold delimiters, quotes and line breaks).</summary>
public static class CsvRecords
{
    public static IEnumerable<string[]> Read(string text, char delimiter)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
                continue;
            }
            if (c == '"' && field.Length == 0) quoted = true;
            else if (c == delimiter) { fields.Add(field.ToString()); field.Clear(); }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                yield return fields.ToArray();
                fields.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return fields.ToArray();
        }
    }

    public static string Write(IEnumerable<IReadOnlyList<string>> rows) =>
        string.Concat(rows.Select(r => string.Join(",", r.Select(Quote)) + "\r\n"));

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
