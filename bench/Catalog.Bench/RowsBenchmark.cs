using System.Diagnostics;
using System.Globalization;
using System.Text;
using Catalog.Core.DataStore;

namespace Catalog.Bench;

/// <summary>
/// DataStore ingestion and row queries: a generated Shift_JIS CSV (title row, footnotes, 20 columns of every type)
/// loaded through <see cref="CsvIngestor"/> into a fresh SQLite row store, then filtered searches timed.
/// Usage: Catalog.Bench rows [--rows N] [--rounds R]
/// </summary>
public static class RowsBenchmark
{
    private static readonly string[] Cities = ["津市", "四日市市", "伊勢市", "松阪市", "桑名市", "鈴鹿市", "名張市", "尾鷲市", "亀山市", "鳥羽市"];

    public static async Task<int> RunAsync(string[] args)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var rows = Option(args, "--rows", 1_000_000);
        var rounds = Option(args, "--rounds", 20);
        var dir = Path.Combine(Path.GetTempPath(), "catalog-rows-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var csv = Path.Combine(dir, "rows.csv");
            var clock = Stopwatch.StartNew();
            Generate(csv, rows);
            Console.WriteLine($"generated {rows:N0} rows × 20 columns, {new FileInfo(csv).Length / 1024.0 / 1024:F1} MiB Shift_JIS in {clock.Elapsed.TotalSeconds:F1} s");

            var store = new SqliteRowStore(SqliteRowStore.ConnectionStringFor(dir));
            var resourceId = Guid.NewGuid().ToString();
            clock.Restart();
            var (table, report) = await new CsvIngestor(store).IngestAsync(resourceId, csv, ',', CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"ingested {table.RowCount:N0} rows in {seconds:F1} s = {table.RowCount / seconds:N0} rows/s " +
                $"({report.Source}, types {string.Join(",", table.Columns.Select(c => ColumnTypes.CkanName(c.Type)))}, {report.SetAside.Count} rows set aside)");

            var options = new DataStoreOptions();
            var queries = new (string Name, System.Text.Json.Nodes.JsonObject Data)[]
            {
                ("filter city, limit 100", new() { ["filters"] = new System.Text.Json.Nodes.JsonObject { ["市町村"] = "鈴鹿市" } }),
                ("filter city + sort by count desc", new() { ["filters"] = new System.Text.Json.Nodes.JsonObject { ["市町村"] = "鈴鹿市" }, ["sort"] = "件数 desc" }),
                ("q substring, no total", new() { ["q"] = "避難所1234", ["include_total"] = false }),
                ("q katakana word, total", new() { ["q"] = "ﾊﾞﾘｱﾌﾘｰ" }),
                ("q address + filter city + sort", new() { ["q"] = "本町15番地", ["filters"] = new System.Text.Json.Nodes.JsonObject { ["市町村"] = "鈴鹿市" }, ["sort"] = "件数 desc" }),
            };
            // The first q builds the table's text index (once per table version): timed on its own.
            clock.Restart();
            var first = await store.SearchAsync(table, SearchRequest.Read(new() { ["q"] = "避難", ["limit"] = 1, ["include_total"] = false }, table, options).Query, CancellationToken.None);
            Console.WriteLine($"first q (builds the text index over {table.RowCount:N0} rows): {clock.Elapsed.TotalSeconds:F1} s = {table.RowCount / clock.Elapsed.TotalSeconds:N0} rows/s, {first.Records.Count} record");
            foreach (var (name, data) in queries)
            {
                var request = SearchRequest.Read(data, table, options);
                var times = new List<double>();
                for (var i = 0; i < rounds; i++)
                {
                    clock.Restart();
                    await store.SearchAsync(table, request.Query, CancellationToken.None);
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                var answer = await store.SearchAsync(table, request.Query, CancellationToken.None);
                Console.WriteLine($"{name}: median {times[times.Count / 2]:F1} ms (min {times[0]:F1}, max {times[^1]:F1}, {rounds} rounds, {answer.Records.Count} records, total {answer.Total?.ToString("N0", CultureInfo.InvariantCulture) ?? "-"})");
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    internal static void Generate(string path, int rows)
    {
        using var w = new StreamWriter(path, false, Encoding.GetEncoding(932), 1 << 16);
        w.WriteLine("令和6年度 施設別利用状況,,,,,,,,,,,,,,,,,,,");
        w.WriteLine("番号,市町村,施設名,件数,金額,割合,開設日,更新日時,公開,住所,電話番号,区分,定員,面積,緯度,経度,備考,担当課,年度,増減");
        var random = new Random(42);
        for (var i = 1; i <= rows; i++)
        {
            var city = Cities[i % Cities.Length];
            w.Write(i.ToString(CultureInfo.InvariantCulture)); w.Write(',');
            w.Write(city); w.Write(',');
            w.Write("指定避難所"); w.Write(i.ToString(CultureInfo.InvariantCulture)); w.Write(',');
            w.Write(random.Next(0, 100_000).ToString(CultureInfo.InvariantCulture)); w.Write(',');
            w.Write('"'); w.Write(random.Next(0, 10_000_000).ToString("N0", CultureInfo.InvariantCulture)); w.Write("\",");
            w.Write((random.NextDouble() * 100).ToString("F2", CultureInfo.InvariantCulture)); w.Write(',');
            w.Write($"令和{1 + i % 6}年{1 + i % 12}月{1 + i % 28}日,");
            w.Write($"2024-{1 + i % 12:00}-{1 + i % 28:00}T{i % 24:00}:{i % 60:00}:00,");
            w.Write(i % 2 == 0 ? "true," : "false,");
            w.Write($"三重県{city}本町{i % 100}番地,");
            w.Write($"059-{i % 1000:000}-{i % 10000:0000},");
            w.Write(i % 3 == 0 ? "公立," : "民間,");
            w.Write($"{random.Next(10, 2000)},");
            w.Write($"{random.Next(10, 20000)}.{random.Next(0, 9)},");
            w.Write($"34.{random.Next(100000, 999999)},136.{random.Next(100000, 999999)},");
            w.Write(i % 7 == 0 ? "バリアフリー対応," : ",");
            w.Write("防災対策部,");
            w.Write($"令和{1 + i % 6}年度,");
            w.WriteLine(i % 5 == 0 ? $"▲{random.Next(1, 500)}" : random.Next(0, 500).ToString(CultureInfo.InvariantCulture));
        }
        w.WriteLine("＊単位：件、千円,,,,,,,,,,,,,,,,,,,");
        w.WriteLine("＊出典：防災対策部,,,,,,,,,,,,,,,,,,,");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
