using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Catalog.Core;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.Store;
using Catalog.Indexer;
using Catalog.Indexer.Querying;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Bench;

public static class SearchBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        // Search benchmarks: full index rebuild rate, faceted Japanese package_search latency in-process, and HTTP
        // throughput beside status_show. Usage: Catalog.Bench [--datasets N] [--rounds R] [--http-seconds S] [--keep]
        var datasets = Option("--datasets", 100_000);
        var rounds = Option("--rounds", 40);
        var httpSeconds = Option("--http-seconds", 10);
        var keep = args.Contains("--keep");

        var dataDir = Path.Combine(Path.GetTempPath(), "catalog-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var report = new List<string>();
        void Report(string line) { Console.WriteLine(line); report.Add(line); }

        Report($"## Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {datasets:N0} datasets");
        Report("");
        Report($"- Machine: {Environment.ProcessorCount} cores, {MemoryGiB():F0} GiB RAM, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}");
        Report($"- Runtime: .NET {Environment.Version}, server GC, Release build: {IsRelease()}");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Catalog:DataDir"] = dataDir,
            ["Catalog:Seed"] = "false",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddCatalogCore(configuration, actions => actions.AddSearchActions())
            .AddCatalogSearch(configuration)
            .BuildServiceProvider();

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await StoreConnection.MigrateAsync(db);
            var generate = Stopwatch.StartNew();
            await new CatalogGenerator().GenerateAsync(db, datasets, done => Console.Error.Write($"\rgenerating {done:N0}/{datasets:N0}"));
            Console.Error.WriteLine();
            Report($"- Store: SQLite, {datasets:N0} datasets generated in {generate.Elapsed.TotalSeconds:F0} s (not part of any figure)");
        }

        // Full rebuild: read every dataset from the store, dictize it as package_show does, analyse and index it, commit.
        var follower = services.GetRequiredService<IndexFollower>();
        var rebuildRates = new List<double>();
        for (var run = 1; run <= 2; run++)
        {
            var watch = Stopwatch.StartNew();
            var progress = new Progress<(int Done, int Total)>(p => Console.Error.Write($"\rrebuild {run}: {p.Done:N0}/{p.Total:N0}"));
            var count = await follower.RebuildAsync(progress);
            watch.Stop();
            Console.Error.WriteLine();
            rebuildRates.Add(count / watch.Elapsed.TotalSeconds);
            Report($"- Full rebuild {run}: {count:N0} datasets in {watch.Elapsed.TotalSeconds:F1} s = **{count / watch.Elapsed.TotalSeconds:N0} datasets/s**");
        }
        var indexBytes = Directory.GetFiles(Path.Combine(dataDir, "index")).Sum(f => new FileInfo(f).Length);
        Report($"- Index size: {indexBytes / 1024.0 / 1024.0:F1} MiB ({indexBytes / (double)datasets:F0} bytes per dataset), {follower.Index.DocumentCount:N0} documents");

        // Latency: typical faceted Japanese searches, as an anonymous caller, in-process.
        string[] queries = ["避難", "避難所 津市", "AED", "ＡＥＤ 四日市", "人口", "観光施設", "公衆トイレ", "三重県の避難所", "県", "子育て 保育", "ごみ収集", "熊野古道"];
        string[] facetFields = ["organization", "groups", "tags", "res_format", "license_id"];
        var searcher = services.GetRequiredService<Searcher>();
        var dispatcher = services.GetRequiredService<ActionDispatcher>();
        var facetJson = new JsonArray(facetFields.Select(f => (JsonNode?)f).ToArray()).ToJsonString();

        var searcherTimes = new List<double>();
        var actionTimes = new List<double>();
        var perQuery = queries.ToDictionary(q => q, _ => new List<double>());
        var hits = new Dictionary<string, int>();
        for (var round = -5; round < rounds; round++)
        {
            foreach (var q in queries)
            {
                var watch = Stopwatch.StartNew();
                var result = searcher.Search(new SearchRequest { Q = q, Rows = 10, FacetFields = facetFields });
                var searcherMs = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                await dispatcher.InvokeAsync("package_search", Caller.Anonymous, new JsonObject { ["q"] = q, ["facet.field"] = facetJson });
                var actionMs = watch.Elapsed.TotalMilliseconds;
                if (round < 0) continue; // warm-up
                searcherTimes.Add(searcherMs);
                actionTimes.Add(actionMs);
                perQuery[q].Add(actionMs);
                hits[q] = result.Count;
            }
        }
        Report($"- Faceted Japanese package_search, in-process ({queries.Length} queries × {rounds} rounds, rows=10, facet.field={facetJson}):");
        Report($"  - index search alone (query + visibility filter + facets + stored dicts): median **{Median(searcherTimes):F2} ms**, p95 {Percentile(searcherTimes, 0.95):F2} ms");
        Report($"  - whole action through the dispatcher (parameters, permission labels, facet titles from the store, JSON): median **{Median(actionTimes):F2} ms**, p95 {Percentile(actionTimes, 0.95):F2} ms");
        Report("");
        Report("| query | matches | median ms (action) |");
        Report("|---|---:|---:|");
        foreach (var q in queries) Report($"| {q} | {hits[q]:N0} | {Median(perQuery[q]):F2} |");
        Report("");
        GC.Collect();
        Report($"- Memory after rebuilds and searches: working set {Environment.WorkingSet / 1024.0 / 1024.0:F0} MiB, managed heap {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F0} MiB");
        await services.DisposeAsync();

        // HTTP: the real host on Kestrel; package_search and status_show measured in the same run.
        if (httpSeconds > 0)
        {
            using var host = new BenchHost(dataDir);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(host.BaseUrl) };
            var search = "/api/3/action/package_search?q=" + Uri.EscapeDataString("避難所 津市") + "&facet.field=" + Uri.EscapeDataString(facetJson);
            var probe = await http.GetAsync("/api/3/action/status_show");
            var (baselineName, baselineUrl) = probe.IsSuccessStatusCode ? ("status_show", "/api/3/action/status_show") : ("GET /api/3 (status_show not registered in this build)", "/api/3");
            var searchRate = await Load(http, search, httpSeconds);
            var baseRate = await Load(http, baselineUrl, httpSeconds);
            Report($"- HTTP on Kestrel, 32 concurrent clients in the same process, {httpSeconds} s each:");
            Report($"  - package_search (q=避難所 津市, 5 facet fields): **{searchRate:N0} requests/s**");
            Report($"  - {baselineName}: {baseRate:N0} requests/s; package_search / baseline = **{searchRate / baseRate:P0}**");
        }

        if (!keep) Directory.Delete(dataDir, recursive: true);
        else Report($"- Data kept in {dataDir}");
        await File.WriteAllLinesAsync(Path.Combine(Path.GetTempPath(), "catalog-bench-report.md"), report);
        return 0;

        int Option(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        static double Median(List<double> values) => Percentile(values, 0.5);

        static double Percentile(List<double> values, double p)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
        }

        static double MemoryGiB() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024.0 / 1024.0;

        static bool IsRelease()
        {
            var debuggable = typeof(SearchBenchmark).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().FirstOrDefault();
            return debuggable is null || !debuggable.IsJITOptimizerDisabled;
        }

        static async Task<double> Load(HttpClient http, string url, int seconds)
        {
            for (var i = 0; i < 50; i++) (await http.GetAsync(url)).EnsureSuccessStatusCode();
            var count = 0L;
            var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
            {
                while (Stopwatch.GetTimestamp() < until)
                {
                    using var response = await http.GetAsync(url);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync();
                    Interlocked.Increment(ref count);
                }
            }));
            return count / watch.Elapsed.TotalSeconds;
        }
    }
}
