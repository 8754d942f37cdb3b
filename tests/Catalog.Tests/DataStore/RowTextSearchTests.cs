using Catalog.Core.DataStore;
using Microsoft.Data.Sqlite;

namespace Catalog.Tests.DataStore;

/// <summary>
/// <c>q</c> over rows in a real SQLite row store: the catalog search's folding (width, case, hiragana as katakana)
/// and CJK bigrams through an FTS5 index built on the first <c>q</c>, kept in step with the rows, and never reading
/// a client's text as query syntax.
/// </summary>
public sealed class RowTextSearchTests
{
    private static readonly RowColumn[] Columns =
        [new("名称", ColumnType.Text), new("区分", ColumnType.Text), new("人数", ColumnType.Int)];

    private string _dir = null!;
    private SqliteRowStore _store = null!;
    private RowTable _table = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "catalog-rowtext-tests", Guid.NewGuid().ToString("N"));
        _store = new SqliteRowStore(SqliteRowStore.ConnectionStringFor(_dir));
        _table = await _store.ReplaceAsync(Guid.NewGuid().ToString(), Columns, Rows(
            ["指定避難所 一身田小学校", "避難所", 120L],
            ["ｼﾃｲﾋﾅﾝｼﾞｮ 白子", "カタカナ表記", 30L],
            ["していひなんじょ 公民館", "ひらがな表記", 50L],
            ["ＡＢＣ倉庫", "倉庫", 10L],
            ["防災倉庫 第1回", "倉庫", 5L],
            ["三重県 津市", "その他", 7L]), CancellationToken.None);
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static async IAsyncEnumerable<object?[]> Rows(params object?[][] rows)
    {
        foreach (var row in rows) yield return row;
        await Task.CompletedTask;
    }

    private async Task<(long[] Ids, long? Total)> SearchAsync(RowQuery query)
    {
        var page = await _store.SearchAsync(_table, query, CancellationToken.None);
        return (page.Records.Select(r => (long)r[0]!).ToArray(), page.Total);
    }

    private Task<(long[] Ids, long? Total)> QAsync(params string[] words) =>
        SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], Words = words });

    private long TextIndexes()
    {
        using var c = new SqliteConnection(SqliteRowStore.ConnectionStringFor(_dir));
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%fts5%'";
        return (long)cmd.ExecuteScalar()!;
    }

    [Test]
    public async Task Part_of_a_Japanese_word_finds_the_rows_containing_it_through_an_index_built_on_first_use()
    {
        Assert.That(TextIndexes(), Is.Zero, "no index before the first q");
        Assert.That((await QAsync("避難")).Ids, Is.EqualTo(new[] { 1L }));
        Assert.That(TextIndexes(), Is.EqualTo(1));
        Assert.That((await QAsync("難所")).Ids, Is.EqualTo(new[] { 1L }));
        Assert.That((await QAsync("避難所一身田")).Ids, Is.Empty, "bigrams across a space are not a phrase");
        Assert.That((await QAsync("避難", "一身田")).Ids, Is.EqualTo(new[] { 1L }), "every word must match");
        Assert.That((await QAsync("避難", "白子")).Ids, Is.Empty);
    }

    [Test]
    public async Task Width_case_and_kana_variants_find_each_other()
    {
        foreach (var q in new[] { "シテイヒナン", "していひなん", "ｼﾃｲﾋﾅﾝ", "シテイ" })
            Assert.That((await QAsync(q)).Ids, Is.EqualTo(new[] { 2L, 3L }), q);
        foreach (var q in new[] { "abc", "ＡＢＣ", "Abc", "ab" })
            Assert.That((await QAsync(q)).Ids, Is.EqualTo(new[] { 4L }), q);
    }

    [Test]
    public async Task A_lone_CJK_letter_or_punctuation_is_answered_by_a_scan_of_the_folded_text()
    {
        Assert.That((await QAsync("県")).Ids, Is.EqualTo(new[] { 6L }));
        Assert.That((await QAsync("第1回")).Ids, Is.EqualTo(new[] { 5L }));
        Assert.That((await QAsync("1回")).Ids, Is.EqualTo(new[] { 5L }), "a lone letter after a number is a prefix");
        Assert.That((await QAsync("じょ")).Ids, Is.EqualTo(new[] { 2L, 3L }));
    }

    [Test]
    public async Task Per_field_q_filters_sort_and_total_combine()
    {
        var perField = await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], ColumnWords = [(1, "倉庫")] });
        Assert.That(perField.Ids, Is.EqualTo(new[] { 4L, 5L }));
        Assert.That((await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], ColumnWords = [(1, "避難")] })).Ids, Is.EqualTo(new[] { 1L }));
        Assert.That((await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], ColumnWords = [(0, "表記")] })).Ids, Is.Empty);
        Assert.That((await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], ColumnWords = [(1, "他")] })).Ids, Is.EqualTo(new[] { 6L }));

        var combined = await SearchAsync(new RowQuery
        {
            Fields = [RowColumns.IdColumn], Words = ["倉庫"], Sort = [(2, false)], Filters = [(1, ["倉庫"])], Limit = 1,
        });
        Assert.That(combined.Ids, Is.EqualTo(new[] { 5L }));
        Assert.That(combined.Total, Is.EqualTo(2));
        var none = await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], Words = ["倉庫"], Filters = [(2, [120L])] });
        Assert.That(none.Total, Is.Zero);
    }

    [Test]
    public async Task The_index_follows_rows_added_deleted_and_replaced()
    {
        Assert.That((await QAsync("倉庫")).Ids, Is.EqualTo(new[] { 4L, 5L }));
        await _store.InsertAsync(_table, [["南部倉庫", "倉庫", 1L]], CancellationToken.None);
        _table = (await _store.FindAsync(_table.ResourceId, CancellationToken.None))!;
        Assert.That((await QAsync("倉庫")).Total, Is.EqualTo(3));
        await _store.DeleteAsync(_table.ResourceId, [(1, ["倉庫"])], CancellationToken.None);
        _table = (await _store.FindAsync(_table.ResourceId, CancellationToken.None))!;
        Assert.That((await QAsync("倉庫")).Total, Is.Zero);

        _table = await _store.ReplaceAsync(_table.ResourceId, Columns, Rows(["新しい避難場所", "避難所", 1L]), CancellationToken.None);
        Assert.That((await QAsync("一身田")).Total, Is.Zero);
        Assert.That((await QAsync("避難場所")).Ids, Is.EqualTo(new[] { 1L }));
        Assert.That(TextIndexes(), Is.EqualTo(1), "the old table's index went with it");

        // A store opened afresh on the file (a restart) keeps the index: it is not taken for an orphan.
        var reopened = new SqliteRowStore(SqliteRowStore.ConnectionStringFor(_dir));
        var page = await reopened.SearchAsync(_table, new RowQuery { Fields = [RowColumns.IdColumn], Words = ["避難"] }, CancellationToken.None);
        Assert.That(page.Total, Is.EqualTo(1));
        Assert.That(TextIndexes(), Is.EqualTo(1));
        await _store.DeleteAsync(_table.ResourceId, null, CancellationToken.None);
        Assert.That(TextIndexes(), Is.Zero);
    }

    [TestCase("\"", 0)]
    [TestCase("\"避難", 1)]
    [TestCase("*", 0)]
    [TestCase("避難*", 1)]
    [TestCase("NEAR(避難 白子)", 0)]
    [TestCase("-避難", 1)]
    [TestCase("c0:避難", 0)]
    [TestCase("名称:避難", 0)]
    [TestCase("^避難", 1)]
    [TestCase("a OR b", 0)]
    [TestCase(")(", 0)]
    [TestCase("'; DROP TABLE \"_tables\"; --", 0)]
    [TestCase("{c0 c1}: x", 0)]
    public async Task Query_syntax_in_q_is_text_never_an_operator(string q, int expected)
    {
        var words = q.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That((await QAsync(words)).Total, Is.EqualTo(expected));
        var perField = await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], ColumnWords = words.Select(w => (0, w)).ToList() });
        Assert.That(perField.Total, Is.EqualTo(expected));
        Assert.That((await QAsync("避難")).Total, Is.EqualTo(1), "the table is intact");
    }

    [Test]
    public void Row_text_is_folded_and_cut_into_bigrams_as_the_catalog_search_does()
    {
        Assert.That(RowText.Tokens("指定避難所"), Is.EqualTo("指定 定避 避難 難所"));
        Assert.That(RowText.Tokens("ｶﾀｶﾅ ＡＢＣ 県"), Is.EqualTo("カタ タカ カナ abc 県"));
        Assert.That(RowText.Tokens(12.5), Is.EqualTo("12 5"));
        Assert.That(RowText.Phrase("ひなん"), Is.EqualTo("\"ヒナ ナン\""));
        Assert.That(RowText.Phrase("R5年"), Is.EqualTo("\"r5 年\" *"));
        Assert.That(RowText.Phrase("県"), Is.Null);
        Assert.That(RowText.Phrase("\"*-:"), Is.Null);
    }
}
