using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Catalog.Core.DataStore;
using Npgsql;
using NpgsqlTypes;

namespace Catalog.Store.Postgres;

/// <summary>
/// The row store in the catalog's PostgreSQL database, schema <c>datastore</c>, so every node reads the same rows.
/// One table per resource, named by the store (<c>t_{resource}_{generation}</c>, columns <c>c0</c>, <c>c1</c> …);
/// headers are data in <c>_tables</c>, so no header and no client text ever becomes an identifier. Values are stored
/// as the SQLite store stores them (booleans as 0/1, dates as ISO text, text in byte order) so that both answer alike.
/// </summary>
public sealed class PostgresRowStore : IRowStore, IAsyncDisposable
{
    public const string Schema = "datastore";
    private const int ReadPage = 5000;
    /// <summary>Serialises creating the schema when several nodes start at once.</summary>
    private const long SchemaLock = 0x64617461_73746f72;

    private readonly NpgsqlDataSource _source;
    private readonly string _connectionString;
    private readonly RowTotals _totals = new();
    private readonly SemaphoreSlim _ready = new(1, 1);
    /// <summary>Full-text indexes being built by this node, by row table.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<bool>>> _textBuilds = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();
    private bool _created;

    public PostgresRowStore(string connectionString)
    {
        _connectionString = connectionString;
        _source = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>Several nodes share these rows: loads are claimed (see <see cref="ClaimAsync"/>).</summary>
    public bool Shared => true;

    /// <summary>Builds under way are cut short (the next node or start makes them again), then the connections close.</summary>
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        foreach (var build in _textBuilds.Values)
            if (build.IsValueCreated) await ((Task)build.Value).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _source.DisposeAsync();
        _closing.Dispose();
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var c = await _source.OpenConnectionAsync(ct);
        if (_created) return c;
        await _ready.WaitAsync(ct);
        try
        {
            if (!_created)
            {
                await using var tx = await c.BeginTransactionAsync(ct);
                await ExecAsync(c, tx, $"""
                    SELECT pg_advisory_xact_lock({SchemaLock});
                    CREATE SCHEMA IF NOT EXISTS {Schema};
                    CREATE TABLE IF NOT EXISTS {Schema}."_tables" ("resource_id" text PRIMARY KEY, "table_name" text NOT NULL,
                        "columns" text NOT NULL, "modified" timestamptz NOT NULL, "row_count" bigint NOT NULL, "version" bigint NOT NULL);
                    CREATE TABLE IF NOT EXISTS {Schema}."_ingestion" ("resource_id" text PRIMARY KEY, "state" text NOT NULL,
                        "error" text, "updated" timestamptz NOT NULL, "source" text, "lease_owner" text, "lease_until" timestamptz);
                    """, ct);
                await DropOrphansAsync(c, tx, ct);
                await tx.CommitAsync(ct);
                _created = true;
            }
        }
        finally { _ready.Release(); }
        return c;
    }

    /// <summary>
    /// Row tables no resource points at (a load cut off by a crash), and their text indexes, are dropped. A load under way on another node is
    /// not seen: its table exists only inside its own transaction until it commits.
    /// </summary>
    private static async Task DropOrphansAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
    {
        var orphans = new List<string>();
        await using (var cmd = new NpgsqlCommand($"""
            SELECT tablename FROM pg_tables WHERE schemaname = '{Schema}' AND tablename LIKE 't!_%' ESCAPE '!'
            AND substr(tablename, 1, 44) NOT IN (SELECT "table_name" FROM {Schema}."_tables")
            """, c, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) orphans.Add(r.GetString(0));
        foreach (var name in orphans) await ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Table(name)}", ct);
    }

    private static async Task<int> ExecAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, CancellationToken ct, params (string, object?)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Identifiers are made here only, from a parsed UUID and fresh hex; quoted all the same.</summary>
    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    internal static string Table(string name) => $"{Schema}.{Quote(name)}";

    internal static string Col(int i) => RowSql.Col(i);

    private static string CanonicalId(string resourceId) =>
        Guid.TryParse(resourceId, out var g) ? g.ToString() : throw new ArgumentException("A resource id is a UUID.", nameof(resourceId));

    /// <summary>The SQLite store's storage classes: booleans 0/1, dates and timestamps as ISO text; text in byte order.</summary>
    private static string SqlType(ColumnType t) => t switch
    {
        ColumnType.Int or ColumnType.Bool => "bigint",
        ColumnType.Numeric => "double precision",
        _ => "text COLLATE \"C\"",
    };

    private static NpgsqlDbType DbType(ColumnType t) => t switch
    {
        ColumnType.Int or ColumnType.Bool => NpgsqlDbType.Bigint,
        ColumnType.Numeric => NpgsqlDbType.Double,
        _ => NpgsqlDbType.Text,
    };

    private static bool IsText(ColumnType t) => DbType(t) == NpgsqlDbType.Text;

    /// <summary>A value as its column stores it; null when it does not fit (callers converted it before).</summary>
    private static object? Stored(ColumnType type, object? value) => value switch
    {
        null => null,
        _ when IsText(type) => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture),
        bool b when DbType(type) == NpgsqlDbType.Bigint => b ? 1L : 0L,
        _ when DbType(type) == NpgsqlDbType.Bigint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    public async Task<RowTable?> FindAsync(string resourceId, CancellationToken ct)
    {
        if (!Guid.TryParse(resourceId, out _)) return null;
        await using var c = await OpenAsync(ct);
        return (await FindAsync(c, null, CanonicalId(resourceId), false, ct))?.Table;
    }

    private static async Task<(RowTable Table, string Name)?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string id, bool forUpdate, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT \"table_name\", \"columns\", \"modified\", \"row_count\", \"version\" FROM {Schema}.\"_tables\" WHERE \"resource_id\" = @id{(forUpdate ? " FOR UPDATE" : "")}",
            c, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var columns = JsonSerializer.Deserialize<List<StoredColumn>>(r.GetString(1))!.Select(s => new RowColumn(s.id, Enum.Parse<ColumnType>(s.type))).ToList();
        var modified = DateTime.SpecifyKind(r.GetDateTime(2), DateTimeKind.Utc);
        return (new RowTable(id, columns, r.GetInt64(3), modified) { Version = r.GetInt64(4) }, r.GetString(0));
    }

    private sealed record StoredColumn(string id, string type);

    public async Task<RowTable> ReplaceAsync(string resourceId, IReadOnlyList<RowColumn> columns, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        var id = CanonicalId(resourceId);
        var name = $"t_{Guid.Parse(id):N}_{Guid.NewGuid():N}"[..44];
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var defs = string.Join(", ", columns.Select((col, i) => $"{Col(i)} {SqlType(col.Type)}"));
        await ExecAsync(c, tx, $"CREATE TABLE {Table(name)} (\"_id\" bigint NOT NULL{(defs.Length > 0 ? ", " + defs : "")})", ct);
        var count = await CopyAsync(c, name, columns, 1, rows, ct);
        // The key after the load: one sort instead of an index kept up row by row.
        await ExecAsync(c, tx, $"ALTER TABLE {Table(name)} ADD PRIMARY KEY (\"_id\")", ct);
        // The swap: the bookkeeping row is locked, so two writers of one resource take turns.
        var old = await FindAsync(c, tx, id, forUpdate: true, ct);
        var json = JsonSerializer.Serialize(columns.Select(col => new StoredColumn(col.Id, col.Type.ToString())));
        await ExecAsync(c, tx, $"""
            INSERT INTO {Schema}."_tables" ("resource_id", "table_name", "columns", "modified", "row_count", "version")
            VALUES (@id, @name, @columns, @modified, @count, @version)
            ON CONFLICT ("resource_id") DO UPDATE SET "table_name" = excluded."table_name", "columns" = excluded."columns",
                "modified" = excluded."modified", "row_count" = excluded."row_count", "version" = excluded."version"
            """, ct, ("id", id), ("name", name), ("columns", json), ("modified", DateTime.UtcNow), ("count", count),
            ("version", (old?.Table.Version ?? 0) + 1));
        if (old is { } o) await DropAsync(c, tx, o.Name, ct);
        await tx.CommitAsync(ct);
        // The text index of the new rows, built now rather than by the first q, which on a large table would wait longer
        // than a search may take; the load is complete (datastore_active) without waiting for it.
        _ = StartTextBuild(id, name);
        return (await FindAsync(c, null, id, false, ct))!.Value.Table;
    }

    /// <summary>Rows through COPY in binary, numbered from <paramref name="firstId"/>; returns how many.</summary>
    private static async Task<long> CopyAsync(NpgsqlConnection c, string name, IReadOnlyList<RowColumn> columns, long firstId,
        IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        var names = string.Join(", ", new[] { Col(RowColumns.IdColumn) }.Concat(columns.Select((_, i) => Col(i))));
        var types = columns.Select(col => DbType(col.Type)).ToArray();
        await using var copy = await c.BeginBinaryImportAsync($"COPY {Table(name)} ({names}) FROM STDIN (FORMAT BINARY)", ct);
        long n = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(firstId + n, NpgsqlDbType.Bigint, ct);
            for (var i = 0; i < types.Length; i++)
            {
                var value = Stored(columns[i].Type, i < row.Length ? row[i] : null);
                if (value is null) await copy.WriteNullAsync(ct);
                else await copy.WriteAsync(value, types[i], ct);
            }
            n++;
        }
        await copy.CompleteAsync(ct);
        return n;
    }

    public async Task<long> InsertAsync(RowTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var found = await FindAsync(c, tx, CanonicalId(table.ResourceId), forUpdate: true, ct) ?? throw new InvalidOperationException("The table is gone.");
        long next;
        await using (var max = new NpgsqlCommand($"SELECT COALESCE(MAX(\"_id\"), 0) + 1 FROM {Table(found.Name)}", c, tx))
            next = (long)(await max.ExecuteScalarAsync(ct))!;
        var n = await CopyAsync(c, found.Name, found.Table.Columns, next, rows.ToAsyncEnumerable(), ct);
        // An index already built follows the rows; one being built is given up, and made again by the next q.
        await DropBuildingAsync(c, tx, found.Name, ct);
        if (await ExistsAsync(c, tx, TextTable(found.Name), ct))
            await CopyTextAsync(c, TextTable(found.Name), rows.Select((row, i) => (next + i, (IReadOnlyList<object?>)StoredRow(found.Table.Columns, row))), ct);
        await ChangedAsync(c, tx, found.Table.ResourceId, found.Table.RowCount + n, ct);
        await tx.CommitAsync(ct);
        return n;
    }

    public async Task<bool> DeleteAsync(string resourceId, IReadOnlyList<(int Column, IReadOnlyList<object?> Values)>? filters, CancellationToken ct)
    {
        if (!Guid.TryParse(resourceId, out _)) return false;
        var id = CanonicalId(resourceId);
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await FindAsync(c, tx, id, forUpdate: true, ct) is not { } found) return false;
        if (filters is { Count: > 0 })
        {
            await using var cmd = new NpgsqlCommand { Connection = c, Transaction = tx };
            var sql = new RowSql(PostgresRowDialect.Instance, found.Table.Columns);
            var where = string.Join(" AND ", sql.Filters(filters));
            Bind(cmd, sql);
            await DropBuildingAsync(c, tx, found.Name, ct);
            if (await ExistsAsync(c, tx, TextTable(found.Name), ct))
            {
                cmd.CommandText = $"DELETE FROM {Table(TextTable(found.Name))} WHERE \"_id\" IN (SELECT \"_id\" FROM {Table(found.Name)} WHERE {where})";
                await cmd.ExecuteNonQueryAsync(ct);
            }
            cmd.CommandText = $"DELETE FROM {Table(found.Name)} WHERE {where}";
            var deleted = await cmd.ExecuteNonQueryAsync(ct);
            await ChangedAsync(c, tx, id, found.Table.RowCount - deleted, ct);
        }
        else
        {
            await DropAsync(c, tx, found.Name, ct);
            await ExecAsync(c, tx, $"DELETE FROM {Schema}.\"_tables\" WHERE \"resource_id\" = @id", ct, ("id", id));
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Rows added or removed: the kept count follows, and a new version retires the cached totals.</summary>
    private static Task ChangedAsync(NpgsqlConnection c, NpgsqlTransaction tx, string resourceId, long count, CancellationToken ct) =>
        ExecAsync(c, tx, $"UPDATE {Schema}.\"_tables\" SET \"row_count\" = @count, \"version\" = \"version\" + 1, \"modified\" = @modified WHERE \"resource_id\" = @id",
            ct, ("count", count), ("modified", DateTime.UtcNow), ("id", CanonicalId(resourceId)));

    /// <summary>The full-text index of a row table: one <c>tsvector</c> per row under a GIN index (see <see cref="PostgresRowText"/>).</summary>
    private static string TextTable(string table) => table + "_q";

    /// <summary>The index while it is being built, swapped in under its name when complete.</summary>
    private static string BuildingTable(string table) => table + "_qb";

    /// <summary>A row table with its full-text index, built or being built.</summary>
    private static async Task DropAsync(NpgsqlConnection c, NpgsqlTransaction tx, string table, CancellationToken ct)
    {
        await DropBuildingAsync(c, tx, table, ct);
        await ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Table(TextTable(table))}", ct);
        await ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Table(table)}", ct);
    }

    /// <summary>A write to the rows ends a build in progress (it would miss the write); the next q starts it again.</summary>
    private static Task DropBuildingAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string table, CancellationToken ct) =>
        ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Table(BuildingTable(table))}", ct);

    private static async Task<bool> ExistsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string table, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", c, tx);
        cmd.Parameters.AddWithValue("t", Table(table));
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A row's values as its columns store them, which is what the index reads (booleans as 0/1, as on SQLite).</summary>
    private static object?[] StoredRow(IReadOnlyList<RowColumn> columns, object?[] row) =>
        columns.Select((col, i) => Stored(col.Type, i < row.Length ? row[i] : null)).ToArray();

    /// <summary>Rows' documents into a text index table, through COPY (the literals hold no tab, newline or backslash).</summary>
    private static async Task CopyTextAsync(NpgsqlConnection c, string target, IEnumerable<(long Id, IReadOnlyList<object?> Cells)> rows, CancellationToken ct)
    {
        await using var writer = await c.BeginTextImportAsync($"COPY {Table(target)} (\"_id\", \"doc\") FROM STDIN", ct);
        foreach (var (id, cells) in rows)
            await writer.WriteAsync($"{id.ToString(CultureInfo.InvariantCulture)}\t{PostgresRowText.Document(cells)}\n".AsMemory(), ct);
    }

    /// <summary>
    /// <c>q</c>: every word must be found, in any column or in its own. Words the text index can answer are one
    /// <c>@@</c> over it; the rest (a lone CJK letter, punctuation), and all of them while the index is not there
    /// yet, are a scan of the folded cells under the search's time limit.
    /// </summary>
    private async Task AppendWordsAsync(List<string> where, RowSql sql, string resourceId, string table, int width, RowQuery query, CancellationToken ct)
    {
        if (query.Words.Count == 0 && query.ColumnWords.Count == 0) return;
        var phrases = new List<(int? Column, IReadOnlyList<string> Tokens, bool Prefix)>();
        var scans = new List<(int? Column, string Word)>();
        foreach (var word in query.Words)
        {
            if (width > 0 && RowText.PhraseOf(word) is { } phrase) phrases.Add((null, phrase.Tokens, phrase.Prefix));
            else scans.Add((null, word));
        }
        foreach (var (column, word) in query.ColumnWords)
        {
            if (column != RowColumns.IdColumn && RowText.PhraseOf(word) is { } phrase) phrases.Add((column, phrase.Tokens, phrase.Prefix));
            else scans.Add((column, word));
        }
        if (phrases.Count > 0)
        {
            if (await TextIndexAsync(resourceId, table, ct))
                where.Add($"\"_id\" IN (SELECT \"_id\" FROM {Table(TextTable(table))} WHERE \"doc\" @@ CAST({sql.Param(PostgresRowText.Query(phrases, width))} AS tsquery))");
            else scans = [.. query.Words.Select(w => ((int?)null, w)), .. query.ColumnWords.Select(w => ((int?)w.Column, w.Word))];
        }
        where.AddRange(scans.Select(s => sql.Scan(s.Column, s.Word)));
    }

    /// <summary>How long a q waits for a build under way on this node before it scans instead.</summary>
    private static readonly TimeSpan TextIndexWait = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether the table's text index is there; if not, its build is started (or was) and waited for briefly.</summary>
    private async Task<bool> TextIndexAsync(string resourceId, string table, CancellationToken ct)
    {
        await using (var c = await OpenAsync(ct))
            if (await ExistsAsync(c, null, TextTable(table), ct)) return true;
        try { return await StartTextBuild(resourceId, table).WaitAsync(TextIndexWait, ct); }
        catch (TimeoutException) { return false; }
    }

    public async Task<bool> HasTextIndexAsync(string resourceId, CancellationToken ct)
    {
        if (!Guid.TryParse(resourceId, out _)) return false;
        await using var c = await OpenAsync(ct);
        return await FindAsync(c, null, CanonicalId(resourceId), false, ct) is { } found && await ExistsAsync(c, null, TextTable(found.Name), ct);
    }

    private Task<bool> StartTextBuild(string resourceId, string table)
    {
        var build = _textBuilds.GetOrAdd(table, t => new Lazy<Task<bool>>(() => Task.Run(async () =>
        {
            try { return await BuildTextIndexAsync(resourceId, t); }
            finally { _textBuilds.TryRemove(t, out _); }
        })));
        return build.Value;
    }

    /// <summary>Rows read and indexed per step of a build.</summary>
    private const int TextBuildChunk = 5000;

    /// <summary>Only one node builds a table's index at a time (a session lock; a dead node's goes with its connection).</summary>
    private const int TextBuildLock = 0x64_71_62;

    /// <summary>
    /// Builds the index as <c>…_qb</c> step by step outside any long transaction, indexes it, then, holding the
    /// resource's bookkeeping row as writers do, catches up with rows added meanwhile and renames it into place. A
    /// write to the rows meanwhile drops the half-built table (see <see cref="DropBuildingAsync"/>) and the build
    /// gives up: the index is never behind its rows.
    /// </summary>
    private async Task<bool> BuildTextIndexAsync(string resourceId, string table)
    {
        var ct = _closing.Token;
        var building = BuildingTable(table);
        try
        {
            await using var c = await OpenAsync(ct);
            await using (var lockCmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k, hashtext(@t))", c))
            {
                lockCmd.Parameters.AddWithValue("k", TextBuildLock);
                lockCmd.Parameters.AddWithValue("t", table);
                if (!(bool)(await lockCmd.ExecuteScalarAsync(ct))!) return false;
            }
            try
            {
                RowTable rows;
                await using (var tx = await c.BeginTransactionAsync(ct))
                {
                    // Under the writers' lock: a write begun before sees no building table, so it must be done first.
                    if (await FindAsync(c, tx, resourceId, forUpdate: true, ct) is not { } found || found.Name != table) return false;
                    if (await ExistsAsync(c, tx, TextTable(table), ct)) return true;
                    rows = found.Table;
                    await ExecAsync(c, tx, $"DROP TABLE IF EXISTS {Table(building)}", ct);
                    await ExecAsync(c, tx, $"CREATE TABLE {Table(building)} (\"_id\" bigint PRIMARY KEY, \"doc\" tsvector NOT NULL)", ct);
                    await tx.CommitAsync(ct);
                }
                var done = await FillTextAsync(c, null, table, building, rows.Columns.Count, 0, ct);
                var index = "g_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(table)))[..24];
                await using (var create = new NpgsqlCommand($"CREATE INDEX {Quote(index)} ON {Table(building)} USING gin (\"doc\")", c) { CommandTimeout = 0 })
                    await create.ExecuteNonQueryAsync(ct);
                await using (var tx = await c.BeginTransactionAsync(ct))
                {
                    if (await FindAsync(c, tx, resourceId, forUpdate: true, ct) is not { } found || found.Name != table) return false;
                    if (!await ExistsAsync(c, tx, building, ct)) return false;
                    await FillTextAsync(c, tx, table, building, rows.Columns.Count, done, ct);
                    await ExecAsync(c, tx, $"ALTER TABLE {Table(building)} RENAME TO {Quote(TextTable(table))}", ct);
                    await tx.CommitAsync(ct);
                }
                return true;
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@k, hashtext(@t))", c);
                unlock.Parameters.AddWithValue("k", TextBuildLock);
                unlock.Parameters.AddWithValue("t", table);
                await unlock.ExecuteScalarAsync(CancellationToken.None);
            }
        }
        // The rows or the half-built index dropped by a writer, the node closing: a later q or load builds it again.
        catch (Exception e) when (e is PostgresException or NpgsqlException or OperationCanceledException) { return false; }
    }

    /// <summary>Indexes the rows after <paramref name="after"/> in <c>_id</c> order, a page at a time; returns the last <c>_id</c> indexed.</summary>
    private static async Task<long> FillTextAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string table, string target, int width, long after, CancellationToken ct)
    {
        var select = string.Join(", ", new[] { Col(RowColumns.IdColumn) }.Concat(Enumerable.Range(0, width).Select(Col)));
        while (true)
        {
            var page = new List<(long, IReadOnlyList<object?>)>(TextBuildChunk);
            await using (var cmd = new NpgsqlCommand($"SELECT {select} FROM {Table(table)} WHERE \"_id\" > @after ORDER BY \"_id\" LIMIT {TextBuildChunk}", c, tx))
            {
                cmd.Parameters.AddWithValue("after", after);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var cells = new object?[width];
                    for (var i = 0; i < width; i++) cells[i] = r.IsDBNull(i + 1) ? null : r.GetValue(i + 1);
                    page.Add((r.GetInt64(0), cells));
                }
            }
            if (page.Count == 0) return after;
            await CopyTextAsync(c, target, page, ct);
            after = page[^1].Item1;
            if (page.Count < TextBuildChunk) return after;
        }
    }

    public async Task<RowPage> SearchAsync(RowTable table, RowQuery query, CancellationToken ct)
    {
        try { return await SearchOnceAsync(table, query, ct); }
        // The table was replaced between reading its name and reading it: the new one answers.
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable) { return await SearchOnceAsync(table, query, ct); }
    }

    private async Task<RowPage> SearchOnceAsync(RowTable table, RowQuery query, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var found = await FindAsync(c, null, CanonicalId(table.ResourceId), false, ct) ?? throw new InvalidOperationException("The table is gone.");
        var columns = found.Table.Columns;
        await EnsureIndexAsync(c, found.Name, RowIndexRule.For(query), ct);
        await using var cmd = new NpgsqlCommand { Connection = c };
        var sql = new RowSql(PostgresRowDialect.Instance, columns);
        var where = sql.Filters(query.Filters);
        await AppendWordsAsync(where, sql, found.Table.ResourceId, found.Name, columns.Count, query, ct);
        if (query.Where is { } condition) where.Add(sql.Render(condition));
        if (query.AfterId is { } after) where.Add($"\"_id\" > {sql.Param(after)}");

        long? total = null;
        if (sql.Count(Table(found.Name), query, where) is { } count)
        {
            cmd.CommandText = count;
            Bind(cmd, sql);
            var key = new RowTotalKey(found.Name, found.Table.Version, cmd.CommandText, cmd.Parameters.Select(p => p.Value).ToList());
            total = await _totals.GetOrCountAsync(key, async () => (long)(await cmd.ExecuteScalarAsync(ct))!);
        }
        else if (query.IncludeTotal) total = found.Table.RowCount;
        cmd.CommandText = sql.Page(Table(found.Name), query, where);
        Bind(cmd, sql);
        var records = new List<object?[]>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                records.Add(RowCells.Read(r, query.Fields, columns));
        return new RowPage(records, total);
    }

    /// <summary>Binds the parameters <paramref name="sql"/> made since the command's last statement (named without their <c>@</c>).</summary>
    private static void Bind(NpgsqlCommand cmd, RowSql sql)
    {
        for (var i = cmd.Parameters.Count; i < sql.Parameters.Count; i++)
            cmd.Parameters.AddWithValue(sql.Parameters[i].Name[1..], sql.Parameters[i].Value);
    }

    private static async Task EnsureIndexAsync(NpgsqlConnection c, string table, IReadOnlyList<(int Column, bool Descending)> columns, CancellationToken ct)
    {
        if (columns.Count == 0) return;
        var spec = string.Join(", ", columns.Select(x => Col(x.Column) + (x.Descending ? " DESC NULLS LAST" : " ASC NULLS FIRST")));
        // Hashed: PostgreSQL cuts names at 63 bytes, and a cut name could stand for another column list.
        var name = "i_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(table + "|" + spec)))[..24];
        var existing = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT indexname FROM pg_indexes WHERE schemaname = @s AND tablename = @t", c))
        {
            cmd.Parameters.AddWithValue("s", Schema);
            cmd.Parameters.AddWithValue("t", table);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) existing.Add(r.GetString(0));
        }
        // The primary key is one of them; it does not count against the bound.
        if (existing.Contains(name) || existing.Count > RowIndexRule.MaxIndexesPerTable) return;
        try
        {
            // Made once, by the first search that needs it, not cut short by that search's deadline; if a writer holds
            // the table, this search goes without.
            await using var tx = await c.BeginTransactionAsync(CancellationToken.None);
            await ExecAsync(c, tx, "SET LOCAL lock_timeout = '2s'", CancellationToken.None);
            await ExecAsync(c, tx, $"CREATE INDEX IF NOT EXISTS {Quote(name)} ON {Table(table)} ({spec})", CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.UniqueViolation
                                              or PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.DuplicateTable) { }
    }

    public async IAsyncEnumerable<object?[]> ReadAllAsync(RowTable table, [EnumeratorCancellation] CancellationToken ct)
    {
        var fields = new[] { RowColumns.IdColumn }.Concat(Enumerable.Range(0, table.Columns.Count)).ToList();
        long after = 0;
        while (true)
        {
            var page = new List<object?[]>();
            await using (var c = await OpenAsync(ct))
            {
                var found = await FindAsync(c, null, CanonicalId(table.ResourceId), false, ct);
                if (found is null) yield break;
                await using var cmd = new NpgsqlCommand(
                    $"SELECT {string.Join(", ", fields.Select(Col))} FROM {Table(found.Value.Name)} WHERE \"_id\" > @after ORDER BY \"_id\" LIMIT {ReadPage}", c);
                cmd.Parameters.AddWithValue("after", after);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                    page.Add(RowCells.Read(r, fields, found.Value.Table.Columns));
            }
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
                if (await FindAsync(c, null, CanonicalId(table.ResourceId), false, ct) is { } found) physical.Add((found.Table, found.Name));
        return await PostgresSqlSearch.RunAsync(_connectionString, physical, sql, maxRows, timeLimit, ct);
    }

    public async Task ForgetAsync(string resourceId, CancellationToken ct)
    {
        if (!Guid.TryParse(resourceId, out _)) return;
        var id = CanonicalId(resourceId);
        await DeleteAsync(id, null, ct);
        await using var c = await OpenAsync(ct);
        await ExecAsync(c, null, $"DELETE FROM {Schema}.\"_ingestion\" WHERE \"resource_id\" = @id", ct, ("id", id));
    }

    public async Task<IReadOnlyList<string>> ResourceIdsAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"SELECT \"resource_id\" FROM {Schema}.\"_tables\" UNION SELECT \"resource_id\" FROM {Schema}.\"_ingestion\"", c);
        var ids = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) ids.Add(r.GetString(0));
        return ids;
    }

    public async Task<IngestionStatus?> StatusAsync(string resourceId, CancellationToken ct)
    {
        if (!Guid.TryParse(resourceId, out _)) return null;
        var id = CanonicalId(resourceId);
        await using var c = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"SELECT \"state\", \"error\", \"updated\", \"source\" FROM {Schema}.\"_ingestion\" WHERE \"resource_id\" = @id", c);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new IngestionStatus(id, r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1),
            DateTime.SpecifyKind(r.GetDateTime(2), DateTimeKind.Utc), r.IsDBNull(3) ? null : r.GetString(3));
    }

    /// <summary>A state other than running ends the load: its lease goes with it.</summary>
    public async Task SetStatusAsync(string resourceId, string state, string? error, string? source, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await ExecAsync(c, null, $"""
            INSERT INTO {Schema}."_ingestion" ("resource_id", "state", "error", "updated", "source") VALUES (@id, @state, @error, @updated, @source)
            ON CONFLICT ("resource_id") DO UPDATE SET "state" = excluded."state", "error" = excluded."error",
                "updated" = excluded."updated", "source" = excluded."source",
                "lease_owner" = CASE WHEN excluded."state" = @running THEN {Schema}."_ingestion"."lease_owner" END,
                "lease_until" = CASE WHEN excluded."state" = @running THEN {Schema}."_ingestion"."lease_until" END
            """, ct, ("id", CanonicalId(resourceId)), ("state", state), ("error", error), ("updated", DateTime.UtcNow), ("source", source),
            ("running", IngestionQueue.Running));
    }

    /// <summary>
    /// Takes (or renews) the lease on loading <paramref name="source"/> into the resource's rows: refused while another
    /// owner's lease runs, and when that source is already loaded. One statement on the status row, so of two nodes
    /// asking at once exactly one gets it; a dead node's lease simply runs out.
    /// </summary>
    public async Task<bool> ClaimAsync(string resourceId, string source, string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await ExecAsync(c, null, $"""
            INSERT INTO {Schema}."_ingestion" AS s ("resource_id", "state", "updated", "source", "lease_owner", "lease_until")
            VALUES (@id, @running, now(), @source, @owner, now() + @lease)
            ON CONFLICT ("resource_id") DO UPDATE SET "state" = @running, "error" = NULL, "updated" = now(), "source" = @source,
                "lease_owner" = @owner, "lease_until" = now() + @lease
            WHERE (s."lease_owner" IS NULL OR s."lease_owner" = @owner OR s."lease_until" < now())
              AND NOT (s."state" = @complete AND s."source" IS NOT DISTINCT FROM @source AND s."lease_owner" IS NULL)
            """, ct, ("id", CanonicalId(resourceId)), ("running", IngestionQueue.Running), ("source", source), ("owner", owner),
            ("lease", lease), ("complete", IngestionQueue.Complete)) == 1;
    }
}
