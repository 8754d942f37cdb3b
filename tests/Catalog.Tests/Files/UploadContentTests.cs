using System.Text;
using Catalog.Core.Files;
using Catalog.Tests.Staff;

namespace Catalog.Tests.Files;

/// <summary>The content check every upload passes: real files on disk, good ones kept, hostile ones refused with a reason.</summary>
public sealed class UploadContentTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "upload-content-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string? Check(byte[] bytes, string name)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return UploadContent.Problem(path, name);
    }

    [Test]
    public void Text_in_the_encodings_staff_use_passes()
    {
        Assert.That(Check(StaffFiles.Utf8Csv("名称,住所\n県庁,津市広明町13番地\n"), "a.csv"), Is.Null);
        Assert.That(Check(StaffFiles.ShiftJis("名称,住所\n県庁,津市広明町13番地\n"), "a.csv"), Is.Null);
        Assert.That(Check(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("名称\n")).ToArray(), "a.csv"), Is.Null);
        Assert.That(Check([], "empty.csv"), Is.Null);
    }

    [Test]
    public void A_real_workbook_passes() => Assert.That(Check(StaffFiles.SmallXlsx(), "a.xlsx"), Is.Null);

    [TestCase("a.csv")]
    [TestCase("a.xlsx")]
    [TestCase("a.pdf")]
    public void A_program_under_a_data_name_is_refused(string name) =>
        Assert.That(Check(StaffFiles.Executable(), name), Does.Contain("合いません"));

    [Test]
    public void A_program_under_an_unknown_extension_is_refused() =>
        Assert.That(Check(StaffFiles.Executable(), "setup.bin"), Does.Contain("実行ファイル"));

    [Test]
    public void A_zip_renamed_to_csv_and_a_csv_renamed_to_xlsx_are_refused()
    {
        Assert.That(Check(StaffFiles.SmallXlsx(), "a.csv"), Does.Contain("ZIP"));
        Assert.That(Check(StaffFiles.Utf8Csv("a,b\n1,2\n"), "a.xlsx"), Does.Contain("テキスト"));
    }

    [Test]
    public void Binary_bytes_in_a_csv_are_refused() =>
        Assert.That(Check([0x41, 0x00, 0x42, 0x00, 0x01, 0x02], "a.csv"), Does.Contain("バイナリ"));

    [Test]
    public void A_zip_bomb_is_refused_by_its_ratio() =>
        Assert.That(Check(StaffFiles.ZipBomb(16L * 1024 * 1024), "a.xlsx"), Does.Contain("圧縮爆弾"));

    [Test]
    public void An_archive_of_too_many_entries_is_refused()
    {
        using var ms = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            for (var i = 0; i <= UploadContent.MaxZipEntries; i++) zip.CreateEntry($"e{i}").Open().Dispose();
        Assert.That(Check(ms.ToArray(), "a.zip"), Does.Contain("多すぎます"));
    }

    [Test]
    public void A_damaged_archive_is_refused() =>
        Assert.That(Check([.. "PK\x03\x04"u8, .. new byte[100]], "a.xlsx"), Does.Contain("壊れて"));
}
