using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Npgsql;

namespace Catalog.Bench;

/// <summary>
/// Several catalog nodes (separate <c>dotnet Catalog.Api.dll</c> processes, each with its own index) on one
/// PostgreSQL: write and search throughput over HTTP with one, two and three nodes, requests spread over the nodes,
/// and the index lag between nodes under write load (a dataset written on one node, timed until another node's
/// package_search finds it). Each node count gets a fresh database and its nodes; each run on them is a write load
/// then a search load. Without --postgres or CATALOG_BENCH_POSTGRES a throwaway cluster is started for the run.
/// Usage: Catalog.Bench nodes [--postgres "Host=…;Username=…;Database=postgres"] [--nodes 1,2,3] [--runs R]
/// [--seconds S] [--warmup S] [--writers W] [--probers P] [--searchers C] [--out FILE]
/// </summary>
public static class NodesBenchmark
{
    private const string Token = "bench-sysadmin-token-0123456789abcdef";

    public static async Task<int> RunAsync(string[] args)
    {
        var server = Value(args, "--postgres") ?? Environment.GetEnvironmentVariable("CATALOG_BENCH_POSTGRES");
        using var cluster = string.IsNullOrWhiteSpace(server) ? ThrowawayPostgres.Start(Console.Error) : null;
        if (string.IsNullOrWhiteSpace(server))
        {
            if (cluster is null) return 2;
            server = cluster.ConnectionString;
        }
        var counts = (Value(args, "--nodes") ?? "1,2,3").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var runs = int.Parse(Value(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var seconds = int.Parse(Value(args, "--seconds") ?? "8", CultureInfo.InvariantCulture);
        var writers = int.Parse(Value(args, "--writers") ?? "8", CultureInfo.InvariantCulture);
        var searchers = int.Parse(Value(args, "--searchers") ?? "16", CultureInfo.InvariantCulture);
        var probers = int.Parse(Value(args, "--probers") ?? "4", CultureInfo.InvariantCulture);
        var warmup = int.Parse(Value(args, "--warmup") ?? "3", CultureInfo.InvariantCulture);
        var outFile = Value(args, "--out");
        var dll = ApiAssembly();
        var began = DateTime.UtcNow;

        var report = new List<string>
        {
            $"## nodes {began:yyyy-MM-dd HH:mm} UTC: {runs} runs per node count after {warmup} s of warm-up, {writers} writers, {probers} lag probes, " +
            $"{searchers} searchers, {seconds} s per load, " +
            $"{Environment.ProcessorCount} cores, load average {LoadAverage()} at start, " +
            (cluster is null ? "PostgreSQL given" : $"throwaway cluster ({cluster.Version})"),
            "",
            "Every run:",
            "",
            "| nodes | run | writes/s | write errors | write p50 / p99 ms | searches/s | search errors | search p50 / p99 ms | lag probes |",
            "|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var line in report) Console.WriteLine(line);
        var summary = new List<string>();
        foreach (var n in counts)
        {
            var dbName = $"catalog_bench_{Guid.NewGuid():N}";
            Execute(server, $"CREATE DATABASE \"{dbName}\"");
            var root = Path.Combine(Path.GetTempPath(), "catalog-nodes-bench", Guid.NewGuid().ToString("N"));
            var nodes = new List<Node>();
            try
            {
                var connection = new NpgsqlConnectionStringBuilder(server) { Database = dbName }.ToString();
                // The first node migrates the new database; the others start beside each other on the migrated store.
                nodes.Add(await Node.StartAsync(dll, root, 0, connection));
                nodes.AddRange(await Task.WhenAll(Enumerable.Range(1, n - 1).Select(i => Node.StartAsync(dll, root, i, connection))));
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
                await CallAsync(http, nodes[0], "organization_create", new JsonObject { ["name"] = "bench", ["title"] = "ベンチ" });

                var writes = new List<Load>();
                var searches = new List<Load>();
                var lags = new ConcurrentBag<double>();
                if (warmup > 0)
                {
                    // JIT, pools and caches of fresh processes: not measured.
                    await WriteLoadAsync(http, nodes, writers, 0, warmup, "warm", new ConcurrentBag<double>());
                    await SearchLoadAsync(http, nodes, searchers, warmup);
                }
                for (var run = 1; run <= runs; run++)
                {
                    var write = await WriteLoadAsync(http, nodes, writers, probers, seconds, $"r{run}", lags);
                    var search = await SearchLoadAsync(http, nodes, searchers, seconds);
                    writes.Add(write);
                    searches.Add(search);
                    var line = $"| {n} | {run} | {write.Rate:F1} | {Errors([write.Errors])} | {write.P50:F0} / {write.P99:F0} | {search.Rate:F1} | {Errors([search.Errors])} | {search.P50:F0} / {search.P99:F0} | {(n > 1 ? write.Probes.ToString(CultureInfo.InvariantCulture) : "–")} |";
                    report.Add(line);
                    Console.WriteLine(line);
                }
                var lag = n == 1 ? "– (one node)"
                    : lags.IsEmpty ? "none found within 30 s"
                    : $"{Percentile(lags, 0.5):F0} / {Percentile(lags, 0.99):F0} / {lags.Max():F0} ({lags.Count})";
                summary.Add($"| {n} | {Spread(writes.Select(w => w.Rate))} | {Errors(writes.Select(w => w.Errors))} | {Spread(searches.Select(s => s.Rate))} | {Errors(searches.Select(s => s.Errors))} | {lag} |");
            }
            finally
            {
                foreach (var node in nodes) node.Dispose();
                using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = dbName }.ToString()))
                    NpgsqlConnection.ClearPool(conn);
                Execute(server, $"DROP DATABASE IF EXISTS \"{dbName}\" WITH (FORCE)");
                try { Directory.Delete(root, true); } catch (IOException) { }
            }
        }
        var tail = new List<string>
        {
            "",
            $"Summary over {runs} runs (min / median / max; errors summed; lag over all runs' probes), {(DateTime.UtcNow - began).TotalSeconds:F0} s in all, load average {LoadAverage()} at the end:",
            "",
            "| nodes | writes/s | write errors | searches/s | search errors | index lag between nodes p50 / p99 / max ms (probes) |",
            "|---|---|---|---|---|---|",
        };
        tail.AddRange(summary);
        foreach (var line in tail) Console.WriteLine(line);
        report.AddRange(tail);
        if (outFile is not null) await File.WriteAllLinesAsync(outFile, report);
        return 0;
    }

    private sealed record Load(double Rate, IReadOnlyDictionary<string, int> Errors, double P50, double P99, int Probes);

    private static string Spread(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return $"{sorted[0]:F1} / {Percentile(sorted, 0.5):F1} / {sorted[^1]:F1}";
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    /// <summary>
    /// <paramref name="writers"/> clients creating datasets round-robin over the nodes, while <paramref name="probers"/>
    /// probes each write on one node and time until the next node's search finds it (lags added to <paramref name="lags"/>;
    /// a lag includes that search's own time, so it is an upper bound).
    /// </summary>
    private static async Task<Load> WriteLoadAsync(HttpClient http, List<Node> nodes, int writers, int probers, int seconds, string run, ConcurrentBag<double> lags)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>();
        var probes = 0;
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var j = 0; DateTime.UtcNow < stop; j++)
            {
                var clock = Stopwatch.StartNew();
                if (await TryCallAsync(http, nodes[(w + j) % nodes.Count], "package_create", Dataset($"w-{run}-{w}-{j}"), errors))
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        })).ToList();
        if (nodes.Count > 1)
            tasks.AddRange(Enumerable.Range(0, probers).Select(q => Task.Run(async () =>
            {
                for (var p = q; DateTime.UtcNow < stop; p++)
                {
                    var (from, to) = (nodes[p % nodes.Count], nodes[(p + 1) % nodes.Count]);
                    var name = $"probe-{run}-{q}-{p}";
                    if (!await TryCallAsync(http, from, "package_create", Dataset(name), errors)) continue;
                    var clock = Stopwatch.StartNew();
                    while (clock.Elapsed < TimeSpan.FromSeconds(30))
                    {
                        JsonNode? found = null;
                        // A search over its time budget (a busy machine) is asked again, as a client would.
                        try { found = await CallAsync(http, to, "package_search", new JsonObject { ["q"] = $"name:{name}", ["rows"] = 1 }); }
                        catch (InvalidOperationException) { }
                        catch (HttpRequestException) { }
                        catch (TaskCanceledException) { }
                        if (found?["count"]?.GetValue<int>() == 1) { lags.Add(clock.Elapsed.TotalMilliseconds); Interlocked.Increment(ref probes); break; }
                        await Task.Delay(5);
                    }
                    await Task.Delay(100);
                }
            })));
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(tasks);
        return new Load(latencies.Count / wall.Elapsed.TotalSeconds, errors, Percentile(latencies, 0.5), Percentile(latencies, 0.99), probes);
    }

    private static readonly string[] Queries = ["防災", "人口", "観光 施設", "*:*", "tags:統計", "避難所", "津市", "データ"];

    private static async Task<Load> SearchLoadAsync(HttpClient http, List<Node> nodes, int clients, int seconds)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>();
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var j = 0; DateTime.UtcNow < stop; j++)
            {
                var clock = Stopwatch.StartNew();
                var body = new JsonObject { ["q"] = Queries[(c + j) % Queries.Length], ["rows"] = 10, ["facet.field"] = new JsonArray("organization", "tags") };
                if (await TryCallAsync(http, nodes[(c + j) % nodes.Count], "package_search", body, errors))
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        })));
        return new Load(latencies.Count / wall.Elapsed.TotalSeconds, errors, Percentile(latencies, 0.5), Percentile(latencies, 0.99), 0);
    }

    private static JsonObject Dataset(string name) => new()
    {
        ["name"] = name, ["title"] = $"防災 人口 観光施設 データ {name}", ["owner_org"] = "bench", ["notes"] = "津市の避難所と統計",
        ["tags"] = new JsonArray(new JsonObject { ["name"] = "統計" }),
    };

    /// <summary>Calls the action; false (the reason counted in <paramref name="errors"/>) when it did not succeed.</summary>
    private static async Task<bool> TryCallAsync(HttpClient http, Node node, string action, JsonObject body, ConcurrentDictionary<string, int> errors)
    {
        string reason;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{node.BaseUrl}/api/3/action/{action}") { Content = JsonContent.Create(body) };
            request.Headers.TryAddWithoutValidation("Authorization", Token);
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK) return true;
            var text = await response.Content.ReadAsStringAsync();
            string? type = null;
            try { type = JsonNode.Parse(text)?["error"]?["__type"]?.GetValue<string>(); }
            catch (System.Text.Json.JsonException) { }
            reason = $"{(int)response.StatusCode} {type ?? "?"}";
        }
        catch (HttpRequestException e) { reason = e.GetType().Name; }
        catch (TaskCanceledException) { reason = "timeout"; }
        errors.AddOrUpdate(reason, 1, (_, n) => n + 1);
        return false;
    }

    /// <summary>"0", or the count with its reasons: "3 (409 Search Error ×3)".</summary>
    private static string Errors(IEnumerable<IReadOnlyDictionary<string, int>> loads)
    {
        var all = loads.SelectMany(l => l).GroupBy(e => e.Key).Select(g => (Reason: g.Key, Count: g.Sum(e => e.Value))).OrderByDescending(e => e.Count).ToList();
        return all.Count == 0 ? "0" : $"{all.Sum(e => e.Count)} ({string.Join(", ", all.Select(e => $"{e.Reason} ×{e.Count}"))})";
    }

    private static async Task<JsonNode?> CallAsync(HttpClient http, Node node, string action, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{node.BaseUrl}/api/3/action/{action}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Authorization", Token);
        using var response = await http.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (json["success"]?.GetValue<bool>() != true) throw new InvalidOperationException($"{action} on {node.BaseUrl}: {json.ToJsonString()}");
        return json["result"];
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static void Execute(string server, string sql)
    {
        using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ToString());
        conn.Open();
        using var command = new NpgsqlCommand(sql, conn);
        command.ExecuteNonQuery();
    }

    /// <summary>The API's own build output beside this program's (same configuration and framework).</summary>
    private static string ApiAssembly()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        for (var dir = here; dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Catalog.sln")))
                return Path.Combine(dir.FullName, "Catalog.Api", "bin", here.Parent!.Name, here.Name, "Catalog.Api.dll");
        throw new InvalidOperationException("Catalog.sln not found above the bench program");
    }

    /// <summary>One node process with its own data folder and index, on a free port.</summary>
    private sealed class Node : IDisposable
    {
        private readonly Process _process;
        public string BaseUrl { get; }

        private Node(Process process, string baseUrl) => (_process, BaseUrl) = (process, baseUrl);

        public static async Task<Node> StartAsync(string dll, string root, int index, string connection)
        {
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(dll);
            var baseUrl = $"http://127.0.0.1:{port}";
            start.Environment["Urls"] = baseUrl;
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            start.Environment["Catalog__DataDir"] = Path.Combine(root, $"node-{index}");
            start.Environment["Catalog__Files__Dir"] = Path.Combine(root, "files");
            start.Environment["Catalog__Seed"] = "false";
            start.Environment["Catalog__SysadminToken"] = Token;
            start.Environment["Catalog__Database__Provider"] = "Postgres";
            start.Environment["Catalog__Database__ConnectionString"] = connection;
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"node-{index}: {e.Data}"); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var node = new Node(process, baseUrl);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            for (var until = DateTime.UtcNow.AddMinutes(3); DateTime.UtcNow < until; await Task.Delay(200))
            {
                if (process.HasExited) throw new InvalidOperationException($"node-{index} exited with {process.ExitCode}");
                try
                {
                    using var ready = await http.GetAsync($"{baseUrl}/health/ready");
                    if (ready.StatusCode == HttpStatusCode.OK) return node;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
            }
            node.Dispose();
            throw new TimeoutException($"node-{index} did not become ready");
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
