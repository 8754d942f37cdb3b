using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.DataStore;
using Catalog.Store.Postgres;
using Npgsql;

namespace Catalog.Bench;

/// <summary>
/// The two row stores side by side in one run: the same generated Shift_JIS CSV (see <see cref="RowsBenchmark"/>)
/// loaded through <see cref="CsvIngestor"/> into a fresh SQLite row store and into PostgreSQL (a fresh database,
/// dropped after), then the same searches timed on each. Ratios mean more than figures on a shared machine.
/// Usage: Catalog.Bench rows-stores --postgres CONN [--rows N] [--rounds R] (or CATALOG_BENCH_POSTGRES)
/// </summary>
public static class RowStoresBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var server = Value(args, "--postgres") ?? Environment.GetEnvironmentVariable("CATALOG_BENCH_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            Console.Error.WriteLine("rows-stores: give a PostgreSQL server with --postgres \"<connection string>\" or CATALOG_BENCH_POSTGRES.");
            return 2;
        }
        var rows = int.Parse(Value(args, "--rows") ?? "200000", System.Globalization.CultureInfo.InvariantCulture);
        var rounds = int.Parse(Value(args, "--rounds") ?? "10", System.Globalization.CultureInfo.InvariantCulture);
        var dir = Path.Combine(Path.GetTempPath(), "catalog-rows-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var database = $"catalog_rows_bench_{Guid.NewGuid():N}";
        Admin(server, $"CREATE DATABASE \"{database}\"");
        try
        {
            var csv = Path.Combine(dir, "rows.csv");
            RowsBenchmark.Generate(csv, rows);
            Console.WriteLine($"generated {rows:N0} rows × 20 columns, {new FileInfo(csv).Length / 1024.0 / 1024:F1} MiB Shift_JIS");
            var postgres = new PostgresRowStore(new NpgsqlConnectionStringBuilder(server) { Database = database }.ToString());
            try
            {
                foreach (var (name, store) in new (string, IRowStore)[] { ("sqlite", new SqliteRowStore(SqliteRowStore.ConnectionStringFor(dir))), ("postgres", postgres) })
                    await MeasureAsync(name, store, csv, rounds);
            }
            finally { await postgres.DisposeAsync(); }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            Admin(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task MeasureAsync(string name, IRowStore store, string csv, int rounds)
    {
        var clock = Stopwatch.StartNew();
        var (table, _) = await new CsvIngestor(store).IngestAsync(Guid.NewGuid().ToString(), csv, ',', CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{name}: ingested {table.RowCount:N0} rows in {seconds:F1} s = {table.RowCount / seconds:N0} rows/s");
        // The text index for q is built in the background after the load: its time, then q timed against it.
        clock.Restart();
        while (!await store.HasTextIndexAsync(table.ResourceId, CancellationToken.None)) await Task.Delay(100);
        Console.WriteLine($"{name}: text index ready {clock.Elapsed.TotalSeconds:F1} s after the load");
        var queries = new (string Name, JsonObject Data)[]
        {
            ("filter city, limit 100", new() { ["filters"] = new JsonObject { ["市町村"] = "鈴鹿市" } }),
            ("filter city + sort by count desc", new() { ["filters"] = new JsonObject { ["市町村"] = "鈴鹿市" }, ["sort"] = "件数 desc" }),
            ("q substring, no total", new() { ["q"] = "避難所1234", ["include_total"] = false }),
            ("q word with total", new() { ["q"] = "避難所1234" }),
            ("page 10 by _id", new() { ["offset"] = 1000, ["limit"] = 100 }),
        };
        foreach (var (query, data) in queries)
        {
            var request = SearchRequest.Read(data, table, new DataStoreOptions());
            var times = new List<double>();
            for (var i = 0; i < rounds; i++)
            {
                clock.Restart();
                await store.SearchAsync(table, request.Query, CancellationToken.None);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            // The first round builds the index the search needs: reported apart from the median.
            Console.WriteLine($"{name}: {query}: median {times[times.Count / 2]:F1} ms (min {times[0]:F1}, max {times[^1]:F1}, {rounds} rounds)");
        }
    }

    private static void Admin(string server, string sql)
    {
        using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ToString());
        conn.Open();
        using var command = new NpgsqlCommand(sql, conn);
        command.ExecuteNonQuery();
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
