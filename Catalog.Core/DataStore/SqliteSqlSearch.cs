using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Catalog.Core.DataStore;

/// <summary>
/// datastore_search_sql on SQLite. The statement runs on a connection of its own, opened read-only and never pooled,
/// on which each readable resource is a temporary view named by its id with its field names as columns. An
/// authorizer lets the statement select, read those views and their tables, and call functions; anything else
/// (writes, PRAGMA, ATTACH, the store's own tables, other resources) is denied while it is compiled. A progress
/// handler interrupts it when its time is up.
/// </summary>
internal static class SqliteSqlSearch
{
    public static async Task<SqlAnswer> RunAsync(string connectionString, IReadOnlyList<(RowTable Table, string Physical)> tables,
        string sql, int maxRows, TimeSpan timeLimit, CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var c = new SqliteConnection(builder.ToString());
        await c.OpenAsync(ct);
        var readable = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (table, physical) in tables)
        {
            var columns = new List<string> { "\"_id\" AS \"_id\"" };
            columns.AddRange(table.Columns.Select((col, i) => $"\"c{i}\" AS {Quote(col.Id)}"));
            await using var create = c.CreateCommand();
            create.CommandText = $"CREATE TEMP VIEW {Quote(table.ResourceId)} AS SELECT {string.Join(", ", columns)} FROM main.{Quote(physical)}";
            await create.ExecuteNonQueryAsync(ct);
            readable.Add(table.ResourceId);
            readable.Add(physical);
        }

        // Strings and blobs a statement makes (printf, zeroblob) stay small.
        raw.sqlite3_limit(c.Handle, raw.SQLITE_LIMIT_LENGTH, 1_000_000);
        var clock = Stopwatch.StartNew();
        raw.sqlite3_set_authorizer(c.Handle, (_, action, p0, _, _, _) => action switch
        {
            raw.SQLITE_SELECT or raw.SQLITE_FUNCTION or raw.SQLITE_RECURSIVE => raw.SQLITE_OK,
            raw.SQLITE_READ when readable.Contains(p0.utf8_to_string() ?? "") => raw.SQLITE_OK,
            _ => raw.SQLITE_DENY,
        }, null);
        raw.sqlite3_progress_handler(c.Handle, 1000, _ => clock.Elapsed > timeLimit || ct.IsCancellationRequested ? 1 : 0, null);
        try
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var rows = new List<object?[]>();
            var truncated = false;
            while (await r.ReadAsync(ct))
            {
                if (rows.Count == maxRows) { truncated = true; break; }
                var row = new object?[r.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
                rows.Add(row);
            }
            var fields = Enumerable.Range(0, r.FieldCount).Select(i => (r.GetName(i), TypeName(r.GetDataTypeName(i), rows, i))).ToList();
            return new SqlAnswer(fields, rows, truncated);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == raw.SQLITE_INTERRUPT)
        {
            throw new TimeoutException("The statement took too long.");
        }
        catch (SqliteException e)
        {
            throw new RefusedSqlException(e.Message.Replace("SQLite Error ", "", StringComparison.Ordinal));
        }
        catch (InvalidOperationException e) when (e.Message.Contains("parameters", StringComparison.Ordinal))
        {
            // "$x", ":x" or "@x" in the text is a parameter to SQLite, and none is given.
            throw new RefusedSqlException("Parameters are not allowed.");
        }
        finally
        {
            raw.sqlite3_progress_handler(c.Handle, 0, null, null);
            raw.sqlite3_set_authorizer(c.Handle, (delegate_authorizer?)null, null);
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static string TypeName(string declared, List<object?[]> rows, int i)
    {
        switch (declared.ToUpperInvariant())
        {
            case "INTEGER": return "int";
            case "REAL": return "numeric";
            case "TEXT": return "text";
        }
        return rows.Select(row => row[i]).FirstOrDefault(v => v is not null) switch
        {
            long => "int",
            double => "numeric",
            _ => "text",
        };
    }
}
