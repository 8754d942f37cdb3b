using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Catalog.Core.DataStore;

/// <summary>
/// The row store on SQLite, in a database file of its own beside the catalog's (<c>datastore.db</c>): loading a large
/// file holds that file's write lock, never the catalog's, and SQL over rows can reach no catalog table.
/// Tables and columns are named by the store (<c>t_{resource}_{generation}</c>, <c>c0</c>, <c>c1</c> …); headers
/// are data in <c>_tables</c>, so no header and no client text ever becomes an identifier.
/// </summary>
public sealed class SqliteRowStore : IRowStore
{
    private const int ReadPage = 5000;
    private readonly string _connectionString;
    /// <summary>Totals of filtered searches, by table, version and the exact statement with its values.</summary>
    private readonly RowTotals _totals = new();
    private readonly SemaphoreSlim _ready = new(1, 1);
    /// <summary>Full-text indexes being built, by row table: one build per table however many searches wait for it.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<bool>>> _textBuilds = new(StringComparer.Ordinal);
    private bool _created;

    public SqliteRowStore(string connectionString) => _connectionString = connectionString;

    public static string ConnectionStringFor(string dataDir)
    {
        var dir = Path.GetFullPath(dataDir);
        Directory.CreateDirectory(dir);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dir, "datastore.db"), DefaultTimeout = 30, Pooling = true,
        }.ToString();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        // The folding of q, as functions: the full-text index is filled by one INSERT … SELECT, and the scan that
        // answers what the index cannot compares folded text.
        c.CreateFunction<object?, string>("catalog_tokens", RowText.Tokens, isDeterministic: true);
        c.CreateFunction<object?, string>("catalog_fold", RowText.Folded, isDeterministic: true);
        if (!_created)
        {
            await _ready.WaitAsync(ct);
            try
            {
                if (!_created)
                {
                    await ExecAsync(c, null, """
                        PRAGMA journal_mode=WAL;
                        CREATE TABLE IF NOT EXISTS "_tables" ("resource_id" TEXT PRIMARY KEY, "table_name" TEXT NOT NULL,
                            "columns" TEXT NOT NULL, "modified" TEXT NOT NULL);
                        CREATE TABLE IF NOT EXISTS "_ingestion" ("resource_id" TEXT PRIMARY KEY, "state" TEXT NOT NULL,
                            "error" TEXT, "updated" TEXT NOT NULL, "source" TEXT);
                        """, ct);
                    await AddColumnAsync(c, "_tables", "row_count", "INTEGER", ct);
                    await AddColumnAsync(c, "_tables", "version", "INTEGER NOT NULL DEFAULT 1", ct);
                    await DropOrphansAsync(c, ct);
                    _created = true;
                }
            }
            finally { _ready.Release(); }
        }
        return c;
    }

    /// <summary>A column added to a row store file made before it existed.</summary>
    private static async Task AddColumnAsync(SqliteConnection c, string table, string column, string definition, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM pragma_table_info({Literal(table)}) WHERE name = {Literal(column)}";
        if ((long)(await cmd.ExecuteScalarAsync(ct))! == 0)
            await ExecAsync(c, null, $"ALTER TABLE {Quote(table)} ADD COLUMN {Quote(column)} {definition}", ct);
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    /// <summary>
    /// Row tables no resource points at any more (a load cut off by a crash, a table dropped while a reader held
    /// it) are dropped, so the file does not keep rows nobody can read.
    /// </summary>
    private static async Task DropOrphansAsync(SqliteConnection c, CancellationToken ct)
    {
        var orphans = new List<string>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't!_%' ESCAPE '!'
                AND ((substr(name, 1, 44) NOT IN (SELECT "table_name" FROM "_tables") AND (length(name) = 44 OR name LIKE '%!_q' ESCAPE '!'))
                    OR name LIKE '%!_qb' ESCAPE '!')
                """;
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) orphans.Add(r.GetString(0));
        }
        foreach (var name in orphans) await ExecAsync(c, null, $"DROP TABLE IF EXISTS {Quote(name)}", ct);
    }

    private static async Task ExecAsync(SqliteConnection c, SqliteTransaction? tx, string sql, CancellationToken ct, params (string, object?)[] args)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Identifiers are made here only, from a parsed UUID and fresh hex; quoted all the same.</summary>
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>The full-text index of a row table (an FTS5 table; its shadow tables are named after it, <c>…_q_data</c>).</summary>
    private static string TextTable(string table) => table + "_q";

    private static string Col(int i) => RowSql.Col(i);

    private static string CanonicalId(string resourceId) =>
        Guid.TryParse(resourceId, out var g) ? g.ToString() : throw new ArgumentException("A resource id is a UUID.", nameof(resourceId));

    private static string SqlType(ColumnType t) => t switch
    {
        ColumnType.Int or ColumnType.Bool => "INTEGER",
        ColumnType.Numeric => "REAL",
        _ => "TEXT",
    };

    public async Task<RowTable?> FindAsync(string resourceId, CancellationToken ct)
    {
        if (!Guid.TryParse(resourceId, out _)) return null;
        await using var c = await OpenAsync(ct);
        var found = await FindAsync(c, null, CanonicalId(resourceId), ct);
        return found?.Table;
    }

    private static async Task<(RowTable Table, string Name)?> FindAsync(SqliteConnection c, SqliteTransaction? tx, string id, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT \"table_name\", \"columns\", \"modified\", \"row_count\", \"version\" FROM \"_tables\" WHERE \"resource_id\" = $id";
        cmd.Parameters.AddWithValue("$id", id);
        string name, columnsJson, modified;
        long? count;
        long version;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) return null;
            (name, columnsJson, modified) = (r.GetString(0), r.GetString(1), r.GetString(2));
            count = r.IsDBNull(3) ? null : r.GetInt64(3);
            version = r.GetInt64(4);
        }
        var columns = JsonSerializer.Deserialize<List<StoredColumn>>(columnsJson)!.Select(s => new RowColumn(s.id, Enum.Parse<ColumnType>(s.type))).ToList();
        if (count is null)
        {
            // Kept with the table since it was written; counted once for a table loaded before the count was kept.
            cmd.Parameters.Clear();
            cmd.CommandText = $"SELECT COUNT(*) FROM {Quote(name)}";
            count = (long)(await cmd.ExecuteScalarAsync(ct))!;
        }
        return (new RowTable(id, columns, count.Value, DateTime.Parse(modified, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)) { Version = version }, name);
    }

    private sealed record StoredColumn(string id, string type);

    public async Task<RowTable> ReplaceAsync(string resourceId, IReadOnlyList<RowColumn> columns, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        var id = CanonicalId(resourceId);
        var name = $"t_{Guid.Parse(id):N}_{Guid.NewGuid():N}"[..44];
        await using var c = await OpenAsync(ct);
        // A bulk load into a table no reader can see yet: a large page cache, temporary sorting in memory, and
        // commits not flushed one by one (WAL with synchronous=NORMAL stays consistent after a crash).
        await ExecAsync(c, null, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        var defs = string.Join(", ", columns.Select((col, i) => $"{Col(i)} {SqlType(col.Type)}"));
        await ExecAsync(c, tx, $"CREATE TABLE {Quote(name)} (\"_id\" INTEGER PRIMARY KEY{(defs.Length > 0 ? ", " + defs : "")})", ct);
        var count = await InsertAllAsync(c, tx, name, columns.Count, rows, ct);
        // A small table's text index goes in with its rows, in the same transaction: one schema change per load rather
        // than three (table, index, rename), each of which makes every connection on the file parse its whole schema
        // again — a cost that grows with the number of tables loaded.
        var indexed = columns.Count > 0 && count <= InlineTextRows;
        if (indexed)
        {
            await ExecAsync(c, tx, CreateText(TextTable(name), columns.Count), ct);
            await ExecAsync(c, tx, FillText(name, TextTable(name), columns.Count), ct);
        }
        var old = await FindAsync(c, tx, id, ct);
        var json = JsonSerializer.Serialize(columns.Select(col => new StoredColumn(col.Id, col.Type.ToString())));
        var modified = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        await ExecAsync(c, tx, """
            INSERT INTO "_tables" ("resource_id", "table_name", "columns", "modified", "row_count", "version")
            VALUES ($id, $name, $columns, $modified, $count, $version)
            ON CONFLICT ("resource_id") DO UPDATE SET "table_name" = excluded."table_name", "columns" = excluded."columns",
                "modified" = excluded."modified", "row_count" = excluded."row_count", "version" = excluded."version"
            """, ct, ("$id", id), ("$name", name), ("$columns", json), ("$modified", modified), ("$count", count),
            ("$version", (old?.Table.Version ?? 0) + 1));
        if (old is { } o) await DropAsync(c, tx, o.Name, ct);
        await tx.CommitAsync(ct);
        // A larger table's text index, built now rather than by the first q, which on a large table would wait longer
        // than a search may take; the load is complete (datastore_active) without waiting for it.
        if (columns.Count > 0 && !indexed) _ = StartTextBuild(name, columns.Count);
        return (await FindAsync(c, null, id, ct))!.Value.Table;
    }

    /// <summary>A row table and its full-text index, if it has one.</summary>
    private static async Task DropAsync(SqliteConnection c, SqliteTransaction tx, string table, CancellationToken ct)
    {
        await DropBuildingAsync(c, tx, table, ct);
        await ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Quote(TextTable(table))}", ct);
        await ExecAsync(c, tx, $"DROP TABLE {Quote(table)}", ct);
    }

    private static async Task<bool> ExistsAsync(SqliteConnection c, SqliteTransaction? tx, string table, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $t";
        cmd.Parameters.AddWithValue("$t", table);
        return (long)(await cmd.ExecuteScalarAsync(ct))! > 0;
    }

    private static async Task<long> InsertAllAsync(SqliteConnection c, SqliteTransaction tx, string name, int width, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        var cols = string.Join(", ", Enumerable.Range(0, width).Select(Col));
        var sql = width == 0
            ? $"INSERT INTO {Quote(name)} DEFAULT VALUES"
            : $"INSERT INTO {Quote(name)} ({cols}) VALUES ({string.Join(", ", Enumerable.Range(0, width).Select(_ => "?"))})";
        _ = tx; // The statement runs on the transaction's connection, inside it.
        // One statement prepared once and bound by position through SQLite itself: the command layer looks every
        // parameter up by name on every row, which was most of the insert's cost.
        Check(raw.sqlite3_prepare_v2(c.Handle, sql, out var stmt), c);
        try
        {
            long n = 0;
            await foreach (var row in rows.WithCancellation(ct))
            {
                for (var i = 0; i < width; i++)
                {
                    var rc = (i < row.Length ? row[i] : null) switch
                    {
                        null or DBNull => raw.sqlite3_bind_null(stmt, i + 1),
                        string s => raw.sqlite3_bind_text16(stmt, i + 1, s),
                        long l => raw.sqlite3_bind_int64(stmt, i + 1, l),
                        int k => raw.sqlite3_bind_int64(stmt, i + 1, k),
                        double d => raw.sqlite3_bind_double(stmt, i + 1, d),
                        bool b => raw.sqlite3_bind_int64(stmt, i + 1, b ? 1 : 0),
                        var other => raw.sqlite3_bind_text16(stmt, i + 1, Convert.ToString(other, CultureInfo.InvariantCulture) ?? ""),
                    };
                    Check(rc, c);
                }
                var step = raw.sqlite3_step(stmt);
                if (step != raw.SQLITE_DONE) Check(step, c);
                raw.sqlite3_reset(stmt);
                n++;
            }
            return n;
        }
        finally { stmt.Dispose(); }
    }

    private static void Check(int rc, SqliteConnection c)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, c.Handle);
    }

    public async Task<long> InsertAsync(RowTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        var found = await FindAsync(c, tx, table.ResourceId, ct) ?? throw new InvalidOperationException("The table is gone.");
        long before;
        await using (var max = c.CreateCommand())
        {
            max.Transaction = tx;
            max.CommandText = $"SELECT COALESCE(MAX(\"_id\"), 0) FROM {Quote(found.Name)}";
            before = (long)(await max.ExecuteScalarAsync(ct))!;
        }
        var n = await InsertAllAsync(c, tx, found.Name, found.Table.Columns.Count, rows.ToAsyncEnumerable(), ct);
        // An index already built follows the rows; one being built is given up, and made again by the next q.
        await DropBuildingAsync(c, tx, found.Name, ct);
        if (found.Table.Columns.Count > 0 && await ExistsAsync(c, tx, TextTable(found.Name), ct))
            await ExecAsync(c, tx, $"{FillText(found.Name, TextTable(found.Name), found.Table.Columns.Count)} WHERE \"_id\" > $before", ct, ("$before", before));
        await ChangedAsync(c, tx, table.ResourceId, found.Table.RowCount + n, ct);
        await tx.CommitAsync(ct);
        return n;
    }

    public async Task<bool> DeleteAsync(string resourceId, IReadOnlyList<(int Column, IReadOnlyList<object?> Values)>? filters, CancellationToken ct)
    {
        if (!Guid.TryParse(resourceId, out _)) return false;
        var id = CanonicalId(resourceId);
        await using var c = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        if (await FindAsync(c, tx, id, ct) is not { } found) return false;
        if (filters is { Count: > 0 })
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            var sql = new RowSql(SqliteRowDialect.Instance, found.Table.Columns);
            var where = string.Join(" AND ", sql.Filters(filters));
            Bind(cmd, sql);
            await DropBuildingAsync(c, tx, found.Name, ct);
            if (await ExistsAsync(c, tx, TextTable(found.Name), ct))
            {
                cmd.CommandText = $"DELETE FROM {Quote(TextTable(found.Name))} WHERE rowid IN (SELECT \"_id\" FROM {Quote(found.Name)} WHERE {where})";
                await cmd.ExecuteNonQueryAsync(ct);
            }
            cmd.CommandText = $"DELETE FROM {Quote(found.Name)} WHERE {where}";
            var deleted = await cmd.ExecuteNonQueryAsync(ct);
            await ChangedAsync(c, tx, id, found.Table.RowCount - deleted, ct);
        }
        else
        {
            await DropAsync(c, tx, found.Name, ct);
            await ExecAsync(c, tx, "DELETE FROM \"_tables\" WHERE \"resource_id\" = $id", ct, ("$id", id));
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Rows added or removed: the kept count follows, and a new version retires the cached totals.</summary>
    private static Task ChangedAsync(SqliteConnection c, SqliteTransaction tx, string resourceId, long count, CancellationToken ct) =>
        ExecAsync(c, tx, "UPDATE \"_tables\" SET \"row_count\" = $count, \"version\" = \"version\" + 1 WHERE \"resource_id\" = $id",
            ct, ("$count", count), ("$id", CanonicalId(resourceId)));

    /// <summary>
    /// <c>q</c>: every word must be found, in any column or in its own. Words the full-text index can answer become one
    /// MATCH over it (built on the first such search); the rest (a lone CJK letter, punctuation) are a scan of the
    /// folded cells. The MATCH text is a parameter, made only of quoted letters and digits.
    /// </summary>
    /// <returns>The parameter holding the MATCH text when the index answers the words (the caller joins it), else null.</returns>
    private async Task<string?> AppendWordsAsync(SqliteConnection c, List<string> where, RowSql sql, string table, int width,
        RowQuery query, CancellationToken ct)
    {
        if (query.Words.Count == 0 && query.ColumnWords.Count == 0) return null;
        string? match = null;
        var phrases = new List<string>();
        var scans = new List<(int? Column, string Word)>();
        foreach (var word in query.Words)
        {
            if (width > 0 && RowText.Phrase(word) is { } phrase) phrases.Add(phrase);
            else scans.Add((null, word));
        }
        foreach (var (column, word) in query.ColumnWords)
        {
            if (column != RowColumns.IdColumn && RowText.Phrase(word) is { } phrase) phrases.Add($"{TextCol(column)} : {phrase}");
            else scans.Add((column, word));
        }
        if (phrases.Count > 0)
        {
            if (await TextIndexAsync(c, table, width, ct)) match = sql.Param(string.Join(" AND ", phrases));
            else
            {
                // No index (another writer held the file past the wait): the same words, scanned.
                scans.InsertRange(0, query.Words.Where(w => RowText.Phrase(w) is not null).Select(w => ((int?)null, w)));
                scans.InsertRange(0, query.ColumnWords.Where(w => w.Column != RowColumns.IdColumn && RowText.Phrase(w.Word) is not null).Select(w => ((int?)w.Column, w.Word)));
            }
        }
        where.AddRange(scans.Select(s => sql.Scan(s.Column, s.Word)));
        return match;
    }

    /// <summary>A column of the full-text index: named apart from the row table's, so the two can be joined unqualified.</summary>
    private static string TextCol(int i) => $"q{i.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The statement that fills a row table's full-text index from its rows (a WHERE may follow).</summary>
    private static string FillText(string table, string target, int width) =>
        $"INSERT INTO {Quote(target)} (rowid, {string.Join(", ", Enumerable.Range(0, width).Select(TextCol))}) " +
        $"SELECT \"_id\", {string.Join(", ", Enumerable.Range(0, width).Select(i => $"catalog_tokens({Col(i)})"))} FROM {Quote(table)}";

    /// <summary>
    /// A text index table. Contentless: the rows are the content; only tokens and positions are kept. remove_diacritics
    /// as the catalog search folds Latin letters to ASCII.
    /// </summary>
    private static string CreateText(string target, int width) =>
        $"CREATE VIRTUAL TABLE {Quote(target)} USING fts5({string.Join(", ", Enumerable.Range(0, width).Select(TextCol))}, " +
        "content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')";

    /// <summary>Loads of up to this many rows get their text index in the load's own transaction (it adds little to it).</summary>
    private const int InlineTextRows = 10_000;

    /// <summary>How long a q waits for a build under way before it scans instead.</summary>
    private static readonly TimeSpan TextIndexWait = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Whether the table's full-text index is there. Built with the load or in the background after it; if it is not there (a
    /// write gave up its build, a table loaded before), its build is started again and waited for briefly, and the
    /// search scans meanwhile.
    /// </summary>
    private async Task<bool> TextIndexAsync(SqliteConnection c, string table, int width, CancellationToken ct)
    {
        if (await ExistsAsync(c, null, TextTable(table), ct)) return true;
        try { return await StartTextBuild(table, width).WaitAsync(TextIndexWait, ct); }
        catch (TimeoutException) { return false; }
    }

    private Task<bool> StartTextBuild(string table, int width)
    {
        var build = _textBuilds.GetOrAdd(table, t => new Lazy<Task<bool>>(() => Task.Run(async () =>
        {
            try { return await BuildTextIndexAsync(t, width); }
            finally { _textBuilds.TryRemove(t, out _); }
        })));
        return build.Value;
    }

    public async Task<bool> HasTextIndexAsync(string resourceId, CancellationToken ct)
    {
        if (!Guid.TryParse(resourceId, out _)) return false;
        await using var c = await OpenAsync(ct);
        return await FindAsync(c, null, CanonicalId(resourceId), ct) is { } found && await ExistsAsync(c, null, TextTable(found.Name), ct);
    }

    /// <summary>Rows indexed per write transaction while building: other writers (a load, an upsert) wait at most this long.</summary>
    private const int TextBuildChunk = 50_000;

    /// <summary>
    /// Builds the index as <c>…_qb</c> in chunks of rows, each its own short write transaction, then catches up and
    /// renames it in a last one. A write to the rows meanwhile drops the half-built index (see <see cref="DropBuildingAsync"/>),
    /// and the build gives up: the index is never behind its rows.
    /// </summary>
    private async Task<bool> BuildTextIndexAsync(string table, int width)
    {
        var building = TextTable(table) + "b";
        var none = CancellationToken.None;
        try
        {
            await using var c = await OpenAsync(none);
            await ExecAsync(c, null, "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", none);
            await using (var tx = c.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false))
            {
                if (!await ExistsAsync(c, tx, table, none)) return false;
                if (await ExistsAsync(c, tx, TextTable(table), none)) return true;
                await ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Quote(building)}", none);
                await ExecAsync(c, tx, CreateText(building, width), none);
                tx.Commit();
            }
            long done = 0;
            while (true)
            {
                await using var tx = c.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);
                if (!await ExistsAsync(c, tx, building, none)) return false;
                await using var fill = c.CreateCommand();
                fill.Transaction = tx;
                fill.CommandTimeout = 0;
                fill.CommandText = $"{FillText(table, building, width)} WHERE \"_id\" > $after AND \"_id\" <= $upto";
                fill.Parameters.AddWithValue("$after", done);
                fill.Parameters.AddWithValue("$upto", done + TextBuildChunk);
                await fill.ExecuteNonQueryAsync(none);
                fill.Parameters.Clear();
                fill.CommandText = $"SELECT COALESCE(MAX(\"_id\"), 0) FROM {Quote(table)}";
                var max = (long)(await fill.ExecuteScalarAsync(none))!;
                done += TextBuildChunk;
                if (done >= max)
                {
                    await ExecAsync(c, tx, $"ALTER TABLE {Quote(building)} RENAME TO {Quote(TextTable(table))}", none);
                    tx.Commit();
                    return true;
                }
                tx.Commit();
            }
        }
        // Busy past the wait (a load holds the file), the table dropped meanwhile, the file gone: searches scan, the next tries again.
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or ObjectDisposedException) { return false; }
    }

    /// <summary>A write to the rows ends a build in progress (it would miss the write); the next q starts again.</summary>
    private static Task DropBuildingAsync(SqliteConnection c, SqliteTransaction tx, string table, CancellationToken ct) =>
        ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Quote(TextTable(table) + "b")}", ct);

    public async Task<RowPage> SearchAsync(RowTable table, RowQuery query, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var found = await FindAsync(c, null, table.ResourceId, ct) ?? throw new InvalidOperationException("The table is gone.");
        var columns = found.Table.Columns;
        await EnsureIndexAsync(c, found.Name, RowIndexRule.For(query), ct);
        await using var cmd = c.CreateCommand();
        var sql = new RowSql(SqliteRowDialect.Instance, columns);
        var where = sql.Filters(query.Filters);
        var match = await AppendWordsAsync(c, where, sql, found.Name, columns.Count, query, ct);
        if (query.Where is { } condition) where.Add(sql.Render(condition));
        if (query.AfterId is { } after) where.Add($"\"_id\" > {sql.Param(after)}");
        var text = Quote(TextTable(found.Name));
        List<string> all = match is null ? where : [$"\"_id\" IN (SELECT rowid FROM {text} WHERE {text} MATCH {match})", .. where];

        long? total = null;
        if (sql.Count(Quote(found.Name), query, all) is { } count)
        {
            cmd.CommandText = count;
            Bind(cmd, sql);
            var key = new RowTotalKey(found.Name, found.Table.Version, cmd.CommandText, cmd.Parameters.Cast<SqliteParameter>().Select(p => p.Value).ToList());
            total = await _totals.GetOrCountAsync(key, async () => (long)(await cmd.ExecuteScalarAsync(ct))!);
        }
        else if (query.IncludeTotal) total = found.Table.RowCount;
        // In _id order, the page is read from the index in rowid order and stops at the limit, rather than
        // collecting every match first (a common word matches a large part of the table).
        (string, string)? inIdOrder = match is null ? null
            : ($"FROM {text} CROSS JOIN {Quote(found.Name)} ON {Quote(found.Name)}.\"_id\" = {text}.rowid WHERE {text} MATCH {match}" +
               (where.Count > 0 ? " AND " + string.Join(" AND ", where) : ""), $"{text}.rowid");
        cmd.CommandText = sql.Page(Quote(found.Name), query, all, inIdOrder);
        Bind(cmd, sql);
        var records = new List<object?[]>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                records.Add(RowCells.Read(r, query.Fields, columns));
        return new RowPage(records, total);
    }

    /// <summary>Binds the parameters <paramref name="sql"/> made since the command's last statement.</summary>
    private static void Bind(SqliteCommand cmd, RowSql sql)
    {
        for (var i = cmd.Parameters.Count; i < sql.Parameters.Count; i++)
            cmd.Parameters.AddWithValue(sql.Parameters[i].Name, sql.Parameters[i].Value);
    }

    private async Task EnsureIndexAsync(SqliteConnection c, string table, IReadOnlyList<(int Column, bool Descending)> columns, CancellationToken ct)
    {
        if (columns.Count == 0) return;
        var name = $"{table}_i_{string.Join("_", columns.Select(x => x.Column.ToString(CultureInfo.InvariantCulture) + (x.Descending ? "d" : "")))}";
        var existing = new List<string>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $t";
            cmd.Parameters.AddWithValue("$t", table);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) existing.Add(r.GetString(0));
        }
        if (existing.Contains(name) || existing.Count >= RowIndexRule.MaxIndexesPerTable) return;
        try
        {
            await using var cmd = c.CreateCommand();
            // Made once, by the first search that needs it; not cut short by that search's deadline, or a large table
            // would never get it. If another writer holds the file (a load), this search goes without.
            cmd.CommandTimeout = 2;
            cmd.CommandText = $"CREATE INDEX IF NOT EXISTS {Quote(name)} ON {Quote(table)} ({string.Join(", ", columns.Select(x => Col(x.Column) + (x.Descending ? " DESC" : "")))})";
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) { }
    }

    public async IAsyncEnumerable<object?[]> ReadAllAsync(RowTable table, [EnumeratorCancellation] CancellationToken ct)
    {
        var fields = new[] { RowColumns.IdColumn }.Concat(Enumerable.Range(0, table.Columns.Count)).ToList();
        long after = 0;
        while (true)
        {
            await using var c = await OpenAsync(ct);
            var found = await FindAsync(c, null, table.ResourceId, ct);
            if (found is null) yield break;
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {string.Join(", ", fields.Select(Col))} FROM {Quote(found.Value.Name)} WHERE \"_id\" > $after ORDER BY \"_id\" LIMIT {ReadPage}";
            cmd.Parameters.AddWithValue("$after", after);
            var page = new List<object?[]>();
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct))
                    page.Add(RowCells.Read(r, fields, found.Value.Table.Columns));
            foreach (var row in page) yield return row;
            if (page.Count < ReadPage) yield break;
            after = (long)page[^1][0]!;
        }
    }

    public async Task<SqlAnswer> SelectAsync(IReadOnlyList<RowTable> tables, string sql, int maxRows, TimeSpan timeLimit, CancellationToken ct)
    {
        var physical = new List<(RowTable, string)>();
        await using (var c = await OpenAsync(ct))
            foreach (var table in tables)
                if (await FindAsync(c, null, table.ResourceId, ct) is { } found) physical.Add((found.Table, found.Name));
        return await SqliteSqlSearch.RunAsync(_connectionString, physical, sql, maxRows, timeLimit, ct);
    }

    public async Task ForgetAsync(string resourceId, CancellationToken ct)
    {
        if (!Guid.TryParse(resourceId, out _)) return;
        var id = CanonicalId(resourceId);
        await DeleteAsync(id, null, ct);
        await using var c = await OpenAsync(ct);
        await ExecAsync(c, null, "DELETE FROM \"_ingestion\" WHERE \"resource_id\" = $id", ct, ("$id", id));
    }

    public async Task<IReadOnlyList<string>> ResourceIdsAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT \"resource_id\" FROM \"_tables\" UNION SELECT \"resource_id\" FROM \"_ingestion\"";
        var ids = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) ids.Add(r.GetString(0));
        return ids;
    }

    public async Task<IngestionStatus?> StatusAsync(string resourceId, CancellationToken ct)
    {
        if (!Guid.TryParse(resourceId, out _)) return null;
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT \"state\", \"error\", \"updated\", \"source\" FROM \"_ingestion\" WHERE \"resource_id\" = $id";
        cmd.Parameters.AddWithValue("$id", CanonicalId(resourceId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new IngestionStatus(CanonicalId(resourceId), r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1),
            DateTime.Parse(r.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), r.IsDBNull(3) ? null : r.GetString(3));
    }

    public async Task SetStatusAsync(string resourceId, string state, string? error, string? source, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await ExecAsync(c, null, """
            INSERT INTO "_ingestion" ("resource_id", "state", "error", "updated", "source") VALUES ($id, $state, $error, $updated, $source)
            ON CONFLICT ("resource_id") DO UPDATE SET "state" = excluded."state", "error" = excluded."error",
                "updated" = excluded."updated", "source" = excluded."source"
            """, ct, ("$id", CanonicalId(resourceId)), ("$state", state), ("$error", error),
            ("$updated", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)), ("$source", source));
    }
}
