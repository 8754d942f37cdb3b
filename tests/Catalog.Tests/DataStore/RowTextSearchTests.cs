using Catalog.Core.DataStore;
using Catalog.Store.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Catalog.Tests.DataStore;

/// <summary>
/// <c>q</c> over rows in a real row store, SQLite and PostgreSQL alike: the catalog search's folding (width, case,
/// hiragana as katakana) and CJK bigrams through a text index (FTS5 on SQLite, a tsvector under GIN on PostgreSQL)
/// built in the background after each load, kept in step with the rows, and never reading a client's text as query
/// syntax. Both stores give the same answers.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class RowTextSearchTests(TestStore kind)
{
    private static readonly RowColumn[] Columns =
        [new("名称", ColumnType.Text), new("区分", ColumnType.Text), new("人数", ColumnType.Int)];

    private string _dir = null!;
    private TestPostgresDatabase? _database;
    private IRowStore _store = null!;
    private RowTable _table = null!;

    [OneTimeSetUp]
    public void CreateDatabase()
    {
        if (kind == TestStore.Postgres) _database = TestPostgresDatabase.Create();
    }

    [OneTimeTearDown]
    public void DropDatabase() => _database?.Dispose();

    private IRowStore OpenStore() => kind == TestStore.Postgres
        ? new PostgresRowStore(_database!.ConnectionString)
        : new SqliteRowStore(SqliteRowStore.ConnectionStringFor(_dir));

    [SetUp]
    public async Task SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "catalog-rowtext-tests", Guid.NewGuid().ToString("N"));
        _store = OpenStore();
        _table = await _store.ReplaceAsync(Guid.NewGuid().ToString(), Columns, Rows(
            ["指定避難所 一身田小学校", "避難所", 120L],
            ["ｼﾃｲﾋﾅﾝｼﾞｮ 白子", "カタカナ表記", 30L],
            ["していひなんじょ 公民館", "ひらがな表記", 50L],
            ["ＡＢＣ倉庫", "倉庫", 10L],
            ["防災倉庫 第1回", "倉庫", 5L],
            ["三重県 津市", "その他", 7L]), CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_store is IAsyncDisposable disposable) await disposable.DisposeAsync();
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

    /// <summary>Text indexes complete in the store (not those being built).</summary>
    private long TextIndexes()
    {
        if (kind == TestStore.Postgres)
        {
            using var pg = new NpgsqlConnection(_database!.ConnectionString);
            pg.Open();
            // The fixture's tests share one database: this test's resource only.
            using var query = new NpgsqlCommand("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'datastore' AND tablename LIKE @t ESCAPE '!'", pg);
            query.Parameters.AddWithValue("t", $"t!_{Guid.Parse(_table.ResourceId):N}%!_q");
            return (long)query.ExecuteScalar()!;
        }
        using var c = new SqliteConnection(SqliteRowStore.ConnectionStringFor(_dir));
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%fts5%'";
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>Waits for the table's text index: built after the load, or (a write gave that build up) again by a q.</summary>
    private async Task IndexedAsync(RowTable? table = null)
    {
        table ??= _table;
        for (var i = 0; i < 600; i++)
        {
            if (await _store.HasTextIndexAsync(table.ResourceId, CancellationToken.None)) return;
            if (i % 20 == 19) await _store.SearchAsync(table, new RowQuery { Fields = [RowColumns.IdColumn], Words = ["避難"] }, CancellationToken.None);
            await Task.Delay(50);
        }
        Assert.Fail("The text index was not built.");
    }

    [Test]
    public async Task Part_of_a_Japanese_word_finds_the_rows_containing_it_through_an_index_built_after_the_load()
    {
        await IndexedAsync();
        Assert.That(TextIndexes(), Is.EqualTo(1), "built after the load, before any q");
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
    public async Task Latin_words_match_at_the_start_of_a_word_not_inside_it()
    {
        await _store.InsertAsync(_table, [["Café Tsu-shi", "Station", 2L]], CancellationToken.None);
        _table = (await _store.FindAsync(_table.ResourceId, CancellationToken.None))!;
        await IndexedAsync();
        Assert.That((await QAsync("ab")).Ids, Is.EqualTo(new[] { 4L }));
        Assert.That((await QAsync("bc")).Ids, Is.Empty, "a word is found by its start");
        Assert.That((await QAsync("tsu")).Ids, Is.EqualTo(new[] { 7L }));
        Assert.That((await QAsync("shi")).Ids, Is.EqualTo(new[] { 7L }), "punctuation separates words");
        Assert.That((await QAsync("cafe")).Ids, Is.EqualTo(new[] { 7L }), "diacritics dropped");
        Assert.That((await QAsync("CAFÉ", "stat")).Ids, Is.EqualTo(new[] { 7L }));
        Assert.That((await QAsync("tsu-shi")).Ids, Is.EqualTo(new[] { 7L }), "a phrase of two words");
        Assert.That((await QAsync("shi-tsu")).Ids, Is.Empty);
        Assert.That((await QAsync("cafe-station")).Ids, Is.Empty, "a phrase does not run from one column into the next");
        Assert.That((await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], ColumnWords = [(1, "stat")] })).Ids, Is.EqualTo(new[] { 7L }));
        Assert.That((await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], ColumnWords = [(0, "stat")] })).Ids, Is.Empty);
    }

    [Test]
    public async Task Filter_values_holding_the_old_key_separator_do_not_share_a_cached_total()
    {
        await _store.InsertAsync(_table, [["a", "b|String:c", 1L]], CancellationToken.None);
        _table = (await _store.FindAsync(_table.ResourceId, CancellationToken.None))!;
        // Joined with '|' and type names, both searches' values read "|String:a|String:b|String:c".
        var matching = await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], Filters = [(0, ["a"]), (1, ["b|String:c"])] });
        var other = await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], Filters = [(0, ["a|String:b"]), (1, ["c"])] });
        Assert.That(matching.Total, Is.EqualTo(1));
        Assert.That(other.Total, Is.Zero);
        Assert.That(other.Ids, Is.Empty);
        Assert.That((await SearchAsync(new RowQuery { Fields = [RowColumns.IdColumn], Filters = [(0, ["a"]), (1, ["b|String:c"])] })).Total, Is.EqualTo(1));
    }

    [Test]
    public async Task A_q_right_after_a_large_load_answers_and_the_index_built_meanwhile_answers_alike()
    {
        var table = await _store.ReplaceAsync(Guid.NewGuid().ToString(), Columns, Many(40_000), CancellationToken.None);
        var query = new RowQuery { Fields = [RowColumns.IdColumn], Words = ["避難所12345"], Limit = 5 };
        var early = await _store.SearchAsync(table, query, CancellationToken.None);
        Assert.That(early.Records.Select(r => (long)r[0]!), Is.EqualTo(new[] { 12346L }));
        Assert.That(early.Total, Is.EqualTo(1));
        await IndexedAsync(table);
        var late = await _store.SearchAsync(table, query, CancellationToken.None);
        Assert.That(late.Records.Select(r => (long)r[0]!), Is.EqualTo(new[] { 12346L }));
        var common = await _store.SearchAsync(table, query with { Words = ["避難所"], Limit = 3 }, CancellationToken.None);
        Assert.That(common.Total, Is.EqualTo(40_000));
        Assert.That(common.Records.Select(r => (long)r[0]!), Is.EqualTo(new[] { 1L, 2L, 3L }));
    }

    private static async IAsyncEnumerable<object?[]> Many(int count)
    {
        for (var i = 0; i < count; i++) yield return [$"避難所{i} 第{i % 7}地区", i % 2 == 0 ? "学校" : "公民館", (long)i];
        await Task.CompletedTask;
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
        await IndexedAsync();
        Assert.That(TextIndexes(), Is.EqualTo(1), "the old table's index went with it");

        // A store opened afresh on the file (a restart) keeps the index: it is not taken for an orphan.
        var reopened = OpenStore();
        var page = await reopened.SearchAsync(_table, new RowQuery { Fields = [RowColumns.IdColumn], Words = ["避難"] }, CancellationToken.None);
        if (reopened is IAsyncDisposable disposable) await disposable.DisposeAsync();
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
