using System.IO.Compression;
using System.Text;

namespace Catalog.Tests.Staff;

/// <summary>Files staff upload, good and hostile, built in memory.</summary>
public static class StaffFiles
{
    static StaffFiles() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static byte[] Utf8Csv(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] ShiftJis(string text) => Encoding.GetEncoding(932).GetBytes(text);

    /// <summary>A Windows program's first bytes, under whatever name the test gives it.</summary>
    public static byte[] Executable()
    {
        var bytes = new byte[4096];
        bytes[0] = (byte)'M'; bytes[1] = (byte)'Z';
        Encoding.ASCII.GetBytes("This program cannot be run in DOS mode.").CopyTo(bytes, 78);
        return bytes;
    }

    /// <summary>An "XLSX" whose one sheet expands from a few kilobytes to 64 MB of zeros.</summary>
    public static byte[] ZipBomb(long expandsTo = 64L * 1024 * 1024)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml").Open().Dispose();
            using var s = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < expandsTo; written += zeros.Length) s.Write(zeros);
        }
        return ms.ToArray();
    }

    /// <summary>A small real workbook-shaped zip: passes.</summary>
    public static byte[] SmallXlsx()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open());
            s.Write("<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>名称</t></is></c></row></sheetData></worksheet>");
        }
        return ms.ToArray();
    }
}
