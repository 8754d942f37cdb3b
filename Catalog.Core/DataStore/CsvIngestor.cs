using System.Text;
using CsvHelper;
using UtfUnknown;

namespace Catalog.Core.DataStore;

/// <summary>
/// Reads CSV and TSV files for the DataStore, as CKAN's xloader does: the encoding is found from a sample (Shift_JIS,
/// EUC-JP, UTF-8 with or without a byte order mark) and the file is read as rows of cell text, streamed, as many
/// times as <see cref="TableIngestor"/> needs (once to profile, once to load).
/// </summary>
public sealed class CsvIngestor(IRowStore store)
{
    private const int SampleBytes = 64 * 1024;

    static CsvIngestor() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public Task<(RowTable Table, IngestReport Report)> IngestAsync(string resourceId, string path, char separator, CancellationToken ct) =>
        new TableIngestor(store).IngestAsync(resourceId, separator == '\t' ? TableFormat.Tsv : TableFormat.Csv, path, ct);

    /// <summary>The file as one table part, in the encoding it was found to have.</summary>
    public static (TablePart Part, Encoding Encoding) Part(string path, char separator)
    {
        var encoding = DetectEncoding(path);
        return (new TablePart(Path.GetFileName(path), ct => Rows(path, encoding, separator, ct)), encoding);
    }

    /// <summary>
    /// UTF-8 (with or without a byte order mark) when the sample decodes strictly as UTF-8; otherwise what the detector
    /// says among the Japanese encodings, and CP932 when it cannot tell (it gives up on some IBM-extension kanji).
    /// </summary>
    public static Encoding DetectEncoding(string path)
    {
        var sample = new byte[SampleBytes];
        int read;
        using (var f = File.OpenRead(path)) read = f.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false);
        var bytes = sample.AsSpan(0, read);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return new UTF8Encoding(true);
        if (IsUtf8(bytes, complete: read < SampleBytes)) return new UTF8Encoding(false);
        var detected = CharsetDetector.DetectFromBytes(bytes.ToArray()).Detected?.Encoding;
        if (detected is { CodePage: 51932 or 20932 }) return Encoding.GetEncoding(51932);
        return Encoding.GetEncoding(932);
    }

    /// <summary>The whole file as text in the encoding found (an HTML page, small by nature).</summary>
    public static string ReadText(string path)
    {
        using var reader = new StreamReader(path, DetectEncoding(path), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes, bool complete)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var chars = new char[bytes.Length + 1];
        try { decoder.GetChars(bytes, chars, flush: complete); return true; }
        catch (DecoderFallbackException) { return false; }
    }

    private static CsvReader Open(string path, Encoding encoding, char separator) =>
        CsvReader.Create(File.OpenRead(path), new CsvReaderOptions
        {
            Encoding = encoding, Separator = separator, HasHeader = false, SkipEmptyLines = true,
            // A runaway quote must not grow one record without bound.
            MaxRecordSize = 16 * 1024 * 1024,
        }, leaveOpen: false);

    private static IEnumerable<string?[]> Rows(string path, Encoding encoding, char separator, CancellationToken ct)
    {
        using var csv = Open(path, encoding, separator);
        long n = 0;
        while (csv.Read())
        {
            if ((++n & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
            var fields = new string?[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i);
            yield return fields;
        }
    }
}

/// <summary>A file that cannot be loaded, with a reason fit to show the uploader.</summary>
public sealed class IngestionException(string message) : Exception(message);
