using System.Globalization;
using System.Text;
using Catalog.Core.DataStore;
using Npgsql;

namespace Catalog.Store.Postgres;

/// <summary>
/// datastore_search_sql on PostgreSQL. The statement is read word by word first: comments, dollar quotes, escape
/// strings, unbalanced parentheses, schema names (pg_catalog, public, datastore …) and functions that read files,
/// other connections, settings or run SQL of their own (pg_*, dblink, lo_*, *_to_xml, set_config …) are refused
/// before anything runs. It then runs on a connection of its own, never pooled, on which each readable resource is
/// a temporary view named by its id with its field names as columns, inside a READ ONLY transaction whose
/// search_path holds nothing but those views, under a statement timeout and a row cap.
/// </summary>
internal static class PostgresSqlSearch
{
    /// <summary>Words that name what a statement over rows has no business with.</summary>
    private static readonly string[] RefusedPrefixes = ["pg_", "dblink", "dblink_", "lo_", "information_schema", "copy", "set_config",
        "current_setting", "ts_stat", "ts_rewrite", "inet_", "repeat", "lpad", "rpad"];

    public static async Task<SqlAnswer> RunAsync(string connectionString, IReadOnlyList<(RowTable Table, string Physical)> tables,
        string sql, int maxRows, TimeSpan timeLimit, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "datastore_search_sql" };
        await using var c = new NpgsqlConnection(builder.ToString());
        await c.OpenAsync(ct);
        Check(sql, await SchemasAsync(c, ct));
        foreach (var (table, physical) in tables)
        {
            var columns = new List<string> { "\"_id\"" };
            columns.AddRange(table.Columns.Select((col, i) => $"{PostgresRowStore.Col(i)} AS {PostgresRowStore.Quote(col.Id)}"));
            await using var create = new NpgsqlCommand(
                $"CREATE TEMP VIEW {PostgresRowStore.Quote(table.ResourceId)} AS SELECT {string.Join(", ", columns)} FROM {PostgresRowStore.Table(physical)}", c);
            // Field names PostgreSQL cannot take as column names (two alike once cut at 63 bytes) refuse the statement.
            try { await create.ExecuteNonQueryAsync(ct); }
            catch (PostgresException e) { throw new RefusedSqlException(e.MessageText); }
        }

        await using var tx = await c.BeginTransactionAsync(ct);
        var ms = Math.Max(1, (long)timeLimit.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        await using (var setup = new NpgsqlCommand(
            $"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {ms}; SET LOCAL search_path = pg_temp; SET LOCAL standard_conforming_strings = on; SET LOCAL work_mem = '16MB'", c, tx))
            await setup.ExecuteNonQueryAsync(ct);
        try
        {
            // Parentheses are balanced (checked), so the statement cannot close this subquery early.
            await using var cmd = new NpgsqlCommand($"SELECT * FROM ({sql}\n) AS \"q\" LIMIT {(maxRows + 1L).ToString(CultureInfo.InvariantCulture)}", c, tx);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var rows = new List<object?[]>();
            var truncated = false;
            while (await r.ReadAsync(ct))
            {
                if (rows.Count == maxRows) { truncated = true; break; }
                var row = new object?[r.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : Value(r.GetValue(i));
                rows.Add(row);
            }
            var fields = Enumerable.Range(0, r.FieldCount).Select(i => (r.GetName(i), TypeName(r.GetDataTypeName(i)))).ToList();
            return new SqlAnswer(fields, rows, truncated);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            throw new TimeoutException("The statement took too long.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException("The statement took too long.");
        }
        catch (PostgresException e)
        {
            throw new RefusedSqlException(e.MessageText);
        }
    }

    private static async Task<HashSet<string>> SchemasAsync(NpgsqlConnection c, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand("SELECT nspname FROM pg_namespace", c);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) names.Add(r.GetString(0));
        return names;
    }

    /// <summary>Refuses what a statement over rows may not contain; see the class summary.</summary>
    internal static void Check(string sql, IReadOnlySet<string> schemas)
    {
        var depth = 0;
        for (var i = 0; i < sql.Length;)
        {
            var ch = sql[i];
            if (ch == '\'')
            {
                // A literal ('' inside): its content is data. An E'', U&'' or B'' prefix was refused with its word.
                var end = i + 1;
                while (true)
                {
                    end = sql.IndexOf('\'', end);
                    if (end < 0) throw Refused("An unterminated string literal.");
                    if (end + 1 < sql.Length && sql[end + 1] == '\'') { end += 2; continue; }
                    break;
                }
                i = end + 1;
            }
            else if (ch == '"')
            {
                var end = i + 1;
                var name = new StringBuilder();
                while (true)
                {
                    var next = sql.IndexOf('"', end);
                    if (next < 0) throw Refused("An unterminated quoted name.");
                    name.Append(sql, end, next - end);
                    if (next + 1 < sql.Length && sql[next + 1] == '"') { name.Append('"'); end = next + 2; continue; }
                    end = next;
                    break;
                }
                Word(name.ToString(), schemas);
                i = end + 1;
            }
            else if (char.IsLetter(ch) || ch == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$')) i++;
                if (i < sql.Length && sql[i] is '\'' or '"' or '&') throw Refused("Prefixed strings and names (E'', U&'') are not allowed.");
                Word(sql[start..i].ToLowerInvariant(), schemas);
            }
            else if (ch == '-' && i + 1 < sql.Length && sql[i + 1] == '-' || ch == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
                throw Refused("Comments are not allowed.");
            else if (ch is '$' or ';' or '\\')
                throw Refused($"'{ch}' is not allowed.");
            else
            {
                if (ch == '(') depth++;
                else if (ch == ')' && --depth < 0) throw Refused("Unbalanced parentheses.");
                i++;
            }
        }
        if (depth != 0) throw Refused("Unbalanced parentheses.");
    }

    private static void Word(string word, IReadOnlySet<string> schemas)
    {
        var lower = word.ToLowerInvariant();
        if (schemas.Contains(word) || schemas.Contains(lower) || lower.StartsWith("pg_temp", StringComparison.Ordinal))
            throw Refused("Only DataStore tables may be read, named by their resource ids.");
        if (lower.Contains("to_xml", StringComparison.Ordinal))
            throw Refused(NotAllowed);
        foreach (var prefix in RefusedPrefixes)
            if (lower.StartsWith(prefix, StringComparison.Ordinal) && (prefix.EndsWith('_') || lower.Length == prefix.Length || !IsWordChar(lower[prefix.Length])))
                throw Refused(NotAllowed);
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Said without the word: an error never echoes names (a refused word may contain a table's).</summary>
    private const string NotAllowed = "The statement uses a function or name a DataStore search may not use.";

    private static RefusedSqlException Refused(string message) => new(message);

    private static object? Value(object value) => value switch
    {
        long or double or string or bool => value,
        int i => (long)i,
        short s => (long)s,
        float f => (double)f,
        decimal d => (double)d,
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string TypeName(string declared) => declared switch
    {
        "bigint" or "integer" or "smallint" => "int",
        "double precision" or "real" or "numeric" => "numeric",
        "boolean" => "bool",
        _ => "text",
    };
}
