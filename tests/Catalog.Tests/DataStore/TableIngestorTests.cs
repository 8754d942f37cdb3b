using System.Text;
using Catalog.Core.DataStore;
using Microsoft.Data.Sqlite;

namespace Catalog.Tests.DataStore;

/// <summary>
/// Workbooks and HTML pages loaded by <see cref="TableIngestor"/> into a real SQLite row store: the same header,
/// footnote and type rules as CSV, every sheet (or table) with data kept.
/// </summary>
public sealed class TableIngestorTests
{
    private string _dir = null!;
    private SqliteRowStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "catalog-ingest-tests", Guid.NewGuid().ToString("N"));
        _store = new SqliteRowStore(SqliteRowStore.ConnectionStringFor(_dir));
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private async Task<(RowTable Table, IngestReport Report, List<object?[]> Rows)> LoadAsync(TableFormat format, byte[] body, string name)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllBytesAsync(path, body);
        var id = Guid.NewGuid().ToString();
        var (table, report) = await new TableIngestor(_store).IngestAsync(id, format, path, CancellationToken.None);
        var rows = new List<object?[]>();
        await foreach (var row in _store.ReadAllAsync(table, CancellationToken.None)) rows.Add(row);
        return (table, report, rows);
    }

    private static List<(string, ColumnType)> Columns(RowTable t) => t.Columns.Select(c => (c.Id, c.Type)).ToList();

    /// <summary>A real Excel 97-2003 (BIFF8) workbook written by xlwt (Fixtures/make-shelters-xls.py).</summary>
    [Test]
    public async Task An_XLS_workbook_is_loaded_as_an_XLSX_is()
    {
        var xls = await File.ReadAllBytesAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "DataStore", "Fixtures", "shelters.xls"));
        Assert.That(xls.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }), "an OLE2 compound file");
        var (table, report, rows) = await LoadAsync(TableFormat.Spreadsheet, xls, "shelters.xls");
        Assert.That(Columns(table), Is.EqualTo(new[]
        {
            ("名称", ColumnType.Text), ("収容人数", ColumnType.Int), ("開設日", ColumnType.Date), ("面積", ColumnType.Numeric), ("公開", ColumnType.Bool),
        }));
        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows[0], Is.EqualTo(new object?[] { 1L, "一身田小学校", 1200L, "2023-04-01", 123.5, true }));
        Assert.That(rows[1], Is.EqualTo(new object?[] { 2L, "白子公民館", 350L, "2023-05-01", 88.0, false }));
        Assert.That(rows[2][2], Is.EqualTo(-12L));
        Assert.That(rows[2][3], Is.EqualTo("2019-04-30"));
        Assert.That(report.SetAside, Is.EqualTo(new[] { "令和5年度 避難所一覧", "＊単位：人" }));
        Assert.That(report.Parts, Is.EqualTo(new[] { "避難所" }), "the one-column note sheet is left out");
    }

    [Test]
    public async Task A_sheet_is_loaded_like_a_CSV_title_and_footnotes_set_aside_types_found()
    {
        var xlsx = await XlsxFiles.WriteAsync(("避難所", [
            ["令和5年度 避難所一覧", null, null, null, null],
            [],
            ["名称", "収容人数", "開設日", "面積", "公開"],
            ["一身田小学校", 1200, new DateTime(2023, 4, 1), 123.5, true],
            ["白子公民館", "３５０", "令和5年5月1日", 88, false],
            ["防災倉庫", "▲12", new DateTime(2019, 4, 30), 0.5, true],
            ["＊単位：人", null, null, null, null],
        ], false));
        var (table, report, rows) = await LoadAsync(TableFormat.Spreadsheet, xlsx, "shelters.xlsx");
        Assert.That(Columns(table), Is.EqualTo(new[]
        {
            ("名称", ColumnType.Text), ("収容人数", ColumnType.Int), ("開設日", ColumnType.Date), ("面積", ColumnType.Numeric), ("公開", ColumnType.Bool),
        }));
        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows[0], Is.EqualTo(new object?[] { 1L, "一身田小学校", 1200L, "2023-04-01", 123.5, true }));
        Assert.That(rows[1], Is.EqualTo(new object?[] { 2L, "白子公民館", 350L, "2023-05-01", 88.0, false }));
        Assert.That(rows[2][2], Is.EqualTo(-12L));
        Assert.That(report.SetAside, Is.EqualTo(new[] { "令和5年度 避難所一覧", "＊単位：人" }));
        Assert.That(report.Parts, Is.EqualTo(new[] { "避難所" }));
    }

    [Test]
    public async Task Every_sheet_with_data_is_kept_in_one_table_with_the_sheet_named_and_hidden_or_empty_sheets_left_out()
    {
        var xlsx = await XlsxFiles.WriteAsync(
            ("表紙", [["施設別利用状況"], ["三重県"]], false),
            ("令和5年度", [["市町村", "件数"], ["津市", 10], ["鈴鹿市", 20]], false),
            ("令和6年度", [["市町村", "件数", "備考"], ["津市", 12, "増"], ["鈴鹿市", "不明", null]], false),
            ("作業用", [["市町村", "件数"], ["秘密", 1]], true),
            ("空", [], false));
        var (table, report, rows) = await LoadAsync(TableFormat.Spreadsheet, xlsx, "book.xlsx");
        Assert.That(report.Parts, Is.EqualTo(new[] { "令和5年度", "令和6年度" }));
        // 件数 is an integer in one sheet and holds text in the other: text, so nothing is lost.
        Assert.That(Columns(table), Is.EqualTo(new[]
        {
            (TableIngestor.SheetColumn, ColumnType.Text), ("市町村", ColumnType.Text), ("件数", ColumnType.Text), ("備考", ColumnType.Text),
        }));
        Assert.That(rows.Select(r => r.Skip(1).ToArray()), Is.EqualTo(new[]
        {
            new object?[] { "令和5年度", "津市", "10", null },
            new object?[] { "令和5年度", "鈴鹿市", "20", null },
            new object?[] { "令和6年度", "津市", "12", "増" },
            new object?[] { "令和6年度", "鈴鹿市", "不明", null },
        }));
        Assert.That(rows.SelectMany(r => r).OfType<string>(), Has.None.EqualTo("秘密"));
    }

    [Test]
    public async Task A_notes_sheet_beside_the_data_is_left_out_even_with_two_columns()
    {
        var xlsx = await XlsxFiles.WriteAsync(
            ("事業所数", [["市町", "事業所数"], ["津市", 10], ["紀宝町", 2]], false),
            ("注記", [["項目", "説明"], ["出典", "三重県"]], false));
        var (_, report, rows) = await LoadAsync(TableFormat.Spreadsheet, xlsx, "book.xlsx");
        Assert.That(report.Parts, Is.EqualTo(new[] { "事業所数" }));
        Assert.That(rows, Has.Count.EqualTo(2));

        // Alone, a sheet so named is still the data.
        var alone = await XlsxFiles.WriteAsync(("備考", [["項目", "説明"], ["出典", "三重県"]], false));
        var (_, aloneReport, aloneRows) = await LoadAsync(TableFormat.Spreadsheet, alone, "notes.xlsx");
        Assert.That(aloneReport.Parts, Is.EqualTo(new[] { "備考" }));
        Assert.That(aloneRows, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_page_s_tables_are_loaded_with_spanning_cells_repeated()
    {
        const string page = """
            <html><body><h1>避難所</h1>
            <table><caption>津市</caption>
              <tr><th>名称</th><th>収容人数</th><th>区分</th></tr>
              <tr><td>一身田小学校</td><td>1,200</td><td rowspan="2">指定避難所</td></tr>
              <tr><td>白子公民館</td><td>350</td></tr>
            </table>
            <table><tr><td>ナビ</td></tr></table>
            </body></html>
            """;
        var (table, report, rows) = await LoadAsync(TableFormat.Html, Encoding.GetEncoding(932).GetBytes(page), "page.html");
        Assert.That(report.Parts, Is.EqualTo(new[] { "津市" }));
        Assert.That(Columns(table), Is.EqualTo(new[] { ("名称", ColumnType.Text), ("収容人数", ColumnType.Int), ("区分", ColumnType.Text) }));
        Assert.That(rows.Select(r => r.Skip(1).ToArray()), Is.EqualTo(new[]
        {
            new object?[] { "一身田小学校", 1200L, "指定避難所" },
            new object?[] { "白子公民館", 350L, "指定避難所" },
        }));
    }

    [Test]
    public async Task A_file_that_is_not_a_workbook_or_a_page_without_tables_is_a_clear_ingestion_error()
    {
        var e = await Assert.ThrowsAsync<IngestionException>(() => LoadAsync(TableFormat.Spreadsheet, Encoding.UTF8.GetBytes("名称,値\n1,2\n"), "fake.xlsx"));
        Assert.That(e!.Message, Does.Contain("XLSX"));
        var none = await Assert.ThrowsAsync<IngestionException>(() => LoadAsync(TableFormat.Html, Encoding.UTF8.GetBytes("<p>表はありません</p>"), "p.html"));
        Assert.That(none!.Message, Does.Contain("no table"));
    }

    [TestCase("XLSX", "a.bin", TableFormat.Spreadsheet)]
    [TestCase("", "https://example.jp/a/b.xls?x=1", TableFormat.Spreadsheet)]
    [TestCase("html", "https://example.jp/page", TableFormat.Html)]
    [TestCase("CSV", "x.xlsx", TableFormat.Csv)]
    [TestCase("PDF", "x.pdf", null)]
    public void The_format_is_read_from_the_format_field_then_the_file_name(string format, string url, TableFormat? expected) =>
        Assert.That(TableSources.FormatOf(format, url), Is.EqualTo(expected));
}
