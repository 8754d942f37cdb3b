using System.IO.Compression;

namespace Catalog.Core.Files;

/// <summary>
/// Checks an uploaded file's bytes against what its name says it is, before the store keeps it: a binary renamed to
/// <c>.csv</c> (an executable, an archive, a PDF) is refused, and so is a zip-based file (XLSX, DOCX, ZIP) that would
/// expand far beyond its size when opened (a zip bomb: too many entries, too much uncompressed data, or an entry that
/// compresses too well to be real data). Readers downstream (the DataStore, previews, spreadsheet readers) trust
/// these files, so the check runs on every upload, from the API and the staff pages alike.
/// </summary>
public static class UploadContent
{
    /// <summary>Zip limits: generous for real workbooks, far below what a bomb expands to.</summary>
    public const int MaxZipEntries = 10_000;
    public const long MaxZipUncompressedBytes = 500L * 1024 * 1024;
    /// <summary>Spreadsheet XML compresses about 10–30×; a ratio beyond this is not data.</summary>
    public const double MaxZipRatio = 200;
    /// <summary>Below this an entry's ratio does not matter: tiny files of repeated bytes are common and harmless.</summary>
    private const long RatioCheckedFrom = 1024 * 1024;

    private const int SniffBytes = 8192;

    private enum Kind { Text, Zip, Ole, Pdf, Png, Jpeg, Gif, Gzip, SevenZip, Rar, Executable, Unknown }

    private static readonly Dictionary<string, Kind> Expected = new(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = Kind.Text, [".tsv"] = Kind.Text, [".txt"] = Kind.Text, [".json"] = Kind.Text,
        [".geojson"] = Kind.Text, [".xml"] = Kind.Text, [".rdf"] = Kind.Text, [".ttl"] = Kind.Text,
        [".html"] = Kind.Text, [".htm"] = Kind.Text, [".md"] = Kind.Text, [".kml"] = Kind.Text,
        [".xlsx"] = Kind.Zip, [".xlsm"] = Kind.Zip, [".docx"] = Kind.Zip, [".pptx"] = Kind.Zip, [".ods"] = Kind.Zip,
        [".odt"] = Kind.Zip, [".zip"] = Kind.Zip, [".kmz"] = Kind.Zip,
        [".xls"] = Kind.Ole, [".doc"] = Kind.Ole, [".ppt"] = Kind.Ole,
        [".pdf"] = Kind.Pdf, [".png"] = Kind.Png, [".jpg"] = Kind.Jpeg, [".jpeg"] = Kind.Jpeg, [".gif"] = Kind.Gif,
        [".gz"] = Kind.Gzip,
    };

    /// <summary>Why the file at <paramref name="path"/> may not be stored under <paramref name="fileName"/>; null when it may.</summary>
    public static string? Problem(string path, string fileName)
    {
        var ext = Path.GetExtension(fileName);
        byte[] head;
        using (var f = File.OpenRead(path))
        {
            head = new byte[Math.Min(SniffBytes, f.Length)];
            f.ReadExactly(head);
        }
        var actual = Sniff(head);
        if (Expected.TryGetValue(ext, out var expected) && actual != expected)
            return $"ファイルの中身が拡張子 {ext} と合いません（中身は {Describe(actual)} です）。/ The file's content does not match its extension {ext} (it is {DescribeEn(actual)}).";
        // An unknown extension may hold anything but a program.
        if (!Expected.ContainsKey(ext) && actual == Kind.Executable)
            return "実行ファイルはアップロードできません。/ Executable files cannot be uploaded.";
        return actual == Kind.Zip ? ZipProblem(path) : null;
    }

    private static Kind Sniff(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith("PK\x03\x04"u8) || b.StartsWith("PK\x05\x06"u8)) return Kind.Zip;
        if (b.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return Kind.Ole;
        if (b.StartsWith("%PDF"u8)) return Kind.Pdf;
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])) return Kind.Png;
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Kind.Jpeg;
        if (b.StartsWith("GIF8"u8)) return Kind.Gif;
        if (b.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B])) return Kind.Gzip;
        if (b.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF])) return Kind.SevenZip;
        if (b.StartsWith("Rar!"u8)) return Kind.Rar;
        if (b.StartsWith("MZ"u8) || b.StartsWith((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F'])) return Kind.Executable;
        // Text in any of the encodings staff use (UTF-8, Shift_JIS, EUC-JP) has no NUL bytes; UTF-16 says so by its BOM.
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Kind.Text;
        return b.Contains((byte)0) ? Kind.Unknown : Kind.Text;
    }

    private static string? ZipProblem(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (zip.Entries.Count > MaxZipEntries)
                return $"圧縮ファイルの項目が多すぎます（{zip.Entries.Count} 個、上限 {MaxZipEntries} 個）。/ The archive has too many entries ({zip.Entries.Count}; the limit is {MaxZipEntries}).";
            long total = 0;
            foreach (var e in zip.Entries)
            {
                total += e.Length;
                if (total > MaxZipUncompressedBytes)
                    return $"展開後のサイズが大きすぎます（上限 {MaxZipUncompressedBytes / (1024 * 1024)} MB）。/ The archive expands beyond {MaxZipUncompressedBytes / (1024 * 1024)} MB.";
                if (e.Length >= RatioCheckedFrom && e.Length > MaxZipRatio * Math.Max(1, e.CompressedLength))
                    return $"圧縮率が異常に高い項目があります（{e.FullName}）。圧縮爆弾の恐れがあるため受け付けません。/ An entry compresses implausibly well ({e.FullName}): refused as a possible zip bomb.";
            }
            return null;
        }
        catch (InvalidDataException)
        {
            return "圧縮ファイルが壊れていて開けません。/ The archive is damaged and cannot be opened.";
        }
    }

    private static string Describe(Kind k) => k switch
    {
        Kind.Text => "テキスト", Kind.Zip => "ZIP 形式", Kind.Ole => "旧 Office 形式", Kind.Pdf => "PDF",
        Kind.Png or Kind.Jpeg or Kind.Gif => "画像", Kind.Executable => "実行ファイル", _ => "バイナリ",
    };

    private static string DescribeEn(Kind k) => k switch
    {
        Kind.Text => "text", Kind.Zip => "a zip archive", Kind.Ole => "an old Office file", Kind.Pdf => "a PDF",
        Kind.Png or Kind.Jpeg or Kind.Gif => "an image", Kind.Executable => "a program", _ => "binary data",
    };
}
