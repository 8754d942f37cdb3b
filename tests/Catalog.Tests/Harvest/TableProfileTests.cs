using Catalog.Harvester.Profiling;

namespace Catalog.Tests.Harvest;

/// <summary>The tabular profile of samples/site's own files: CSV in its encodings and real Excel workbooks.</summary>
public sealed class TableProfileTests
{
    private static FileProfile ProfileOf(string relative, string format)
    {
        var path = Path.Combine(TestSite.RepoRoot(), "samples", "site", relative);
        return FileProfiler.Profile(path, format, new FileInfo(path).Length, "0");
    }

    [Test]
    public void A_workbook_with_a_title_row_two_sheets_and_a_footnote_is_profiled_from_its_first_sheet()
    {
        var p = ProfileOf("common/content/001100202.xlsx", "XLSX");
        Assert.Multiple(() =>
        {
            Assert.That(p.Header, Is.EqualTo(new[] { "市町", "事業所数", "従業者数" }));
            Assert.That(p.Rows, Is.EqualTo(29));
            Assert.That(p.Columns, Is.EqualTo(3));
            Assert.That(p.Types, Is.EqualTo(new[] { "text", "integer", "integer" }));
            Assert.That(p.Encoding, Is.Null, "a workbook has no text encoding");
            Assert.That(p.MimeType, Is.EqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        });
    }

    /// <summary>
    /// The sample workbook holds 29 towns (a title row above the header, a ※出典 footnote under them) on its first
    /// sheet and a notes sheet 「注記」 (項目 / 説明: 出典, 三重県) beside it: 29 is its number of data rows. The
    /// DataStore's one-column rule for notes sheets does not catch this two-column one and loads 30 rows.
    /// </summary>
    [Test]
    public void The_sample_workbook_has_29_rows_of_data_and_a_notes_sheet()
    {
        var path = Path.Combine(TestSite.RepoRoot(), "samples", "site", "common", "content", "001100202.xlsx");
        var sheets = Catalog.Core.DataStore.TableSources.Sheets(path);
        Assert.That(sheets.Select(s => s.Name), Is.EqualTo(new[] { "Sheet1", "注記" }));
        var data = Catalog.Core.DataStore.TableProfiler.Profile(sheets[0].Rows(CancellationToken.None), ',', CancellationToken.None)!;
        var notes = Catalog.Core.DataStore.TableProfiler.Profile(sheets[1].Rows(CancellationToken.None), ',', CancellationToken.None)!;
        Assert.Multiple(() =>
        {
            Assert.That(data.DataRows, Is.EqualTo(29));
            Assert.That(data.SetAside, Does.Contain("※出典：三重県調べ"));
            Assert.That(notes.Columns.Select(c => c.Id), Is.EqualTo(new[] { "項目", "説明" }));
            Assert.That(notes.DataRows, Is.EqualTo(1), "出典 / 三重県: the footnote again, not a town");
            Assert.That(ProfileOf("common/content/001100202.xlsx", "XLSX").Rows, Is.EqualTo(data.DataRows));
        });
    }

    [Test]
    public void A_plain_workbook_is_profiled()
    {
        var p = ProfileOf("common/content/001100090.xlsx", "XLSX");
        Assert.That(p.Header, Is.EqualTo(new[] { "年", "入込客数（千人）" }));
        Assert.That(p.Rows, Is.EqualTo(2));
        Assert.That(p.Types, Is.EqualTo(new[] { "integer", "integer" }));
    }

    [Test]
    public void A_shift_jis_csv_gets_the_same_profile_as_its_workbook()
    {
        var csv = ProfileOf("common/content/001100201.csv", "CSV");
        var xlsx = ProfileOf("common/content/001100202.xlsx", "XLSX");
        Assert.That(csv.Encoding, Is.EqualTo("shift_jis"));
        Assert.That((csv.Header, csv.Rows, csv.Columns, csv.Types), Is.EqualTo((xlsx.Header, xlsx.Rows, xlsx.Columns, xlsx.Types)));
    }

    [Test]
    public void Types_are_the_narrowest_that_hold_every_value_and_leading_zeros_stay_text()
    {
        var (header, rows, columns, types) = TableShape.Of(new[]
        {
            new[] { "令和6年度 一覧" },
            new[] { "", "", "", "", "" },
            new[] { "コード", "件数", "割合", "日付", "備考" },
            new[] { "0123", "5", "1.5", "2024-04-01", "あ" },
            new[] { "0456", "-2", "3", "2024/5/1", "" },
            new[] { "※単位：件", "", "", "", "" },
        });
        Assert.That(header, Is.EqualTo(new[] { "コード", "件数", "割合", "日付", "備考" }));
        Assert.That((rows, columns), Is.EqualTo((2, 5)));
        Assert.That(types, Is.EqualTo(new[] { "text", "integer", "number", "date", "text" }));
    }

    [Test]
    public void A_file_that_is_not_a_workbook_is_an_error_the_importer_can_report()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "PK not really a zip");
            Assert.That(() => FileProfiler.Profile(path, "XLSX", 20, "0"), Throws.Exception);
        }
        finally { File.Delete(path); }
    }
}
