using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using UtfUnknown;

namespace Catalog.Core.DataStore;

/// <summary>What a file turned out to be: its encoding, where its header is, its columns and the rows set aside.</summary>
public sealed record CsvProfile(Encoding Encoding, char Separator, long HeaderOrdinal, long LastDataOrdinal,
    IReadOnlyList<RowColumn> Columns, long DataRows, IReadOnlyList<string> SetAside);

/// <summary>
/// Loads a CSV or TSV file into the row store, as CKAN's xloader does, in two streamed passes: the first finds the
/// encoding, the header row (title rows above it are set aside), the last data row (footnotes below it such as
/// 「＊単位：件」 are set aside) and each column's type; the second converts and inserts the rows.
/// </summary>
public sealed class CsvIngestor(IRowStore store)
{
    private const int SampleBytes = 64 * 1024;
    private const int HeaderSearchRows = 30;
    private const int MaxPendingRows = 1000;

    static CsvIngestor() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public async Task<(RowTable Table, CsvProfile Profile)> IngestAsync(string resourceId, string path, char separator, CancellationToken ct)
    {
        var profile = Profile(path, separator, ct);
        var table = await store.ReplaceAsync(resourceId, profile.Columns, Rows(path, profile, ct), ct);
        return (table, profile);
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

    private static string[] Fields(CsvReader csv)
    {
        var fields = new string[csv.FieldCount];
        for (var i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i);
        return fields;
    }

    private static int NonEmpty(string[] fields) => fields.Count(f => !string.IsNullOrWhiteSpace(f));

    public static CsvProfile Profile(string path, char separator, CancellationToken ct)
    {
        var encoding = DetectEncoding(path);
        using var csv = Open(path, encoding, separator);

        // The header is the first of the leading rows that is about as wide as the widest of them.
        var leading = new List<string[]>();
        while (leading.Count < HeaderSearchRows && csv.Read()) leading.Add(Fields(csv));
        if (leading.Count == 0 || leading.All(r => NonEmpty(r) == 0)) throw new IngestionException("The file has no rows.");
        var widest = leading.Max(NonEmpty);
        var headerOrdinal = leading.FindIndex(r => NonEmpty(r) >= Math.Max(1, (int)Math.Ceiling(widest * 0.6)));
        var header = leading[headerOrdinal];
        var width = Array.FindLastIndex(header, f => !string.IsNullOrWhiteSpace(f)) + 1;
        var names = ColumnNames(header.Take(width));
        var guesses = names.Select(_ => new TypeGuess()).ToArray();

        var setAside = leading.Take(headerOrdinal).Select(r => string.Join(separator, r).Trim(separator)).ToList();
        var pending = new List<(long Ordinal, string[] Fields)>();
        long lastData = headerOrdinal, dataRows = 0;
        void Take(string[] row)
        {
            for (var i = 0; i < guesses.Length && i < row.Length; i++) guesses[i].Add(row[i]);
            dataRows++;
        }
        void Flush()
        {
            foreach (var (ordinal, fields) in pending) { Take(fields); lastData = ordinal; }
            pending.Clear();
        }
        void See(long ordinal, string[] row)
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
        while (csv.Read())
        {
            if ((next & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
            See(next++, Fields(csv));
        }
        setAside.AddRange(pending.Select(p => string.Join(separator, p.Fields).Trim(separator)));
        var columns = names.Select((n, i) => new RowColumn(n, TypeGuess.IsCodeHeader(n) ? ColumnType.Text : guesses[i].Result)).ToList();
        return new CsvProfile(encoding, separator, headerOrdinal, lastData, columns, dataRows, setAside);
    }

    /// <summary>Headers as written, trimmed; blank ones named by position, repeated ones numbered.</summary>
    private static List<string> ColumnNames(IEnumerable<string> header)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { RowColumns.IdName };
        foreach (var raw in header)
        {
            var name = raw.Trim().Replace("\0", "");
            if (name.Length == 0) name = $"column_{names.Count + 1}";
            var unique = name;
            for (var n = 2; !seen.Add(unique); n++) unique = $"{name}_{n}";
            names.Add(unique);
        }
        return names;
    }

    private static async IAsyncEnumerable<object?[]> Rows(string path, CsvProfile profile, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        using var csv = Open(path, profile.Encoding, profile.Separator);
        long ordinal = -1;
        while (csv.Read())
        {
            ordinal++;
            if (ordinal <= profile.HeaderOrdinal) continue;
            if (ordinal > profile.LastDataOrdinal) yield break;
            if ((ordinal & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
            var fields = Fields(csv);
            if (NonEmpty(fields) == 0) continue;
            var row = new object?[profile.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                var text = i < fields.Length ? fields[i] : null;
                row[i] = CellValues.TryConvert(text, profile.Columns[i].Type, out var value) ? value : text;
            }
            yield return row;
        }
    }
}

/// <summary>A file that cannot be loaded, with a reason fit to show the uploader.</summary>
public sealed class IngestionException(string message) : Exception(message);
