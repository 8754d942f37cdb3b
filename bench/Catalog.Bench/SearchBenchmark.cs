using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.Store;
using Catalog.Indexer;
using Catalog.Indexer.Querying;
using Catalog.Store.Sqlite;
using Microsoft.EntityFrameworkCore;
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
        // [--data DIR]: with --data, a data folder kept by an earlier run is measured again without generating (an empty
        // one is generated into and kept).
        if (args is ["rows", ..]) return await RowsBenchmark.RunAsync(args[1..]);
        if (args is ["pages", ..]) return await PagesBenchmark.RunAsync(args[1..]);
        if (args is ["harvest", ..]) return await HarvestBenchmark.RunAsync(args[1..]);
        if (args is ["nodes", ..]) return await NodesBenchmark.RunAsync(args[1..]);
        if (args is ["rows-stores", ..]) return await RowStoresBenchmark.RunAsync(args[1..]);
        if (args is ["load", ..]) return await LoadBenchmark.RunAsync(args[1..]);
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            Console.WriteLine("""
                Catalog.Bench: search index rebuild rate, faceted Japanese package_search latency in-process, the other
                actions served from the index, and HTTP throughput beside status_show. Results in BENCHMARKS.md.

                  --datasets N      datasets to generate (default 100000)
                  --rebuilds N      full rebuilds to time (default 2; 0 skips)
                  --rounds R        rounds of the 12 queries in-process (default 40; 0 skips)
                  --http-seconds S  seconds per HTTP load (default 10; 0 skips)
                  --keep            keep the generated data folder
                  --data DIR        measure a folder kept earlier (an empty one is generated into and kept)

                Catalog.Bench rows [--rows N] [--rounds R]: DataStore ingestion and row queries.
                Catalog.Bench pages [--datasets N] [--pairs P] [--data DIR]: the /dataset page beside package_search over HTTP.
                Catalog.Bench harvest [--pages N] [--rounds R]: the web harvester over a generated site on 127.0.0.1.
                Catalog.Bench load [--datasets N] [--mix M] [--seconds S] [--runs R] [--no-groonga] [--data DIR]: varied package_search under wrk beside status_show and Groonga (bench/load.sh installs wrk and groonga).
                Catalog.Bench nodes --postgres CONN [--nodes 1,2,3] [--seconds S] [--writers W] [--searchers C]: node processes on one PostgreSQL.
                Catalog.Bench rows-stores --postgres CONN [--rows N] [--rounds R]: DataStore rows on SQLite and PostgreSQL side by side.
                Catalog.Bench nodes [--postgres CONN] [--nodes 1,2,3] [--runs R] [--seconds S] [--warmup S]
                  [--writers W] [--probers P] [--searchers C] [--out FILE]:
                  node processes on one PostgreSQL (a throwaway cluster unless CONN or CATALOG_BENCH_POSTGRES is given).
                """);
            return 0;
        }
        var datasets = Option("--datasets", 100_000);
        var rounds = Option("--rounds", 40);
        var rebuilds = Option("--rebuilds", 2);
        var httpSeconds = Option("--http-seconds", 10);
        var keep = args.Contains("--keep");

        var reuse = Array.IndexOf(args, "--data") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var dataDir = reuse ?? Path.Combine(Path.GetTempPath(), "catalog-bench", Guid.NewGuid().ToString("N"));
        keep |= reuse is not null;
        Directory.CreateDirectory(dataDir);
        var report = new List<string>();
        void Report(string line) { Console.WriteLine(line); report.Add(line); }

        Report($"## Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Report("");
        Report($"- Machine: {Environment.ProcessorCount} cores, {MemoryGiB():F0} GiB RAM, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}");
        Report($"- Runtime: .NET {Environment.Version}, server GC, Release build: {IsRelease()}");

        var services = BenchServices.Create(dataDir,
            // In-process figures measure the search itself, not answers remembered from the previous round.
            new Dictionary<string, string?> { [SearchServiceCollectionExtensions.ResultCacheKey] = "0" },
            b => b.AddFilter("Catalog.Indexer.IndexFollower", LogLevel.Information));

        var (existing, writing) = await BenchServices.FillStoreAsync(services, reuse is not null, db =>
            new CatalogGenerator().GenerateAsync(db, datasets, done => Console.Error.Write($"\rgenerating {done:N0}/{datasets:N0}")));
        if (existing == 0) Report($"- Store: SQLite, {datasets:N0} datasets generated in {writing.TotalSeconds:F0} s (not part of any figure)");
        else
        {
            datasets = existing;
            Report($"- Store: SQLite in {reuse}, {datasets:N0} datasets generated by an earlier run");
        }

        // Full rebuild: read every dataset from the store, dictize it as package_show does, analyse and index it, commit.
        var follower = services.GetRequiredService<IndexFollower>();
        var rebuildRates = new List<double>();
        for (var run = 1; run <= rebuilds; run++)
        {
            var (pausedBefore, gen2Before) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
            var before = CpuUsage.Now();
            var watch = Stopwatch.StartNew();
            var progress = new Progress<(int Done, int Total)>(p => Console.Error.Write($"\rrebuild {run}: {p.Done:N0}/{p.Total:N0}"));
            var count = await follower.RebuildAsync(progress);
            var searchable = watch.Elapsed;
            // CPU of the whole process until searchable: both cores busy means about twice the time; JIT time shows warm-up.
            var used = CpuUsage.Now() - before;
            await follower.MergedAsync();
            watch.Stop();
            Console.Error.WriteLine();
            rebuildRates.Add(count / searchable.TotalSeconds);
            Report($"- Full rebuild {run}: {count:N0} datasets committed and searchable in {searchable.TotalSeconds:F1} s = **{count / searchable.TotalSeconds:N0} datasets/s**; " +
                   $"merged into {follower.Index.SegmentCount} segment in the background by {watch.Elapsed.TotalSeconds:F1} s " +
                   $"(GC pauses {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:F1} s, {GC.CollectionCount(2) - gen2Before} gen-2 collections; " +
                   $"CPU until searchable {used.Cpu.TotalSeconds:F1} s, of which kernel {used.Kernel.TotalSeconds:F1} s, JIT {used.Jit.TotalSeconds:F1} s for {used.Methods:N0} methods)");
        }
        var indexBytes = Directory.GetFiles(Path.Combine(dataDir, "index")).Sum(f => new FileInfo(f).Length);
        Report($"- Index size: {indexBytes / 1024.0 / 1024.0:F1} MiB ({indexBytes / (double)datasets:F0} bytes per dataset), {follower.Index.DocumentCount:N0} documents");

        // Latency: typical faceted Japanese searches, as an anonymous caller, in-process.
        string[] queries = ["避難", "避難所 津市", "AED", "ＡＥＤ 四日市", "人口", "観光施設", "公衆トイレ", "三重県の避難所", "県", "子育て 保育", "ごみ収集", "熊野古道"];
        string[] facetFields = ["organization", "groups", "tags", "res_format", "license_id"];
        var searcher = services.GetRequiredService<Searcher>();
        var dispatcher = services.GetRequiredService<ActionDispatcher>();
        var facetJson = new JsonArray(facetFields.Select(f => (JsonNode?)f).ToArray()).ToJsonString();

        if (rounds > 0)
        {
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

            // The other answers served from the index: autocompletion while typing, and package_count per organization.
            var others = new (string Label, string Action, JsonObject Data)[]
            {
                ("package_autocomplete q=避難 (inside titles)", "package_autocomplete", new JsonObject { ["q"] = "避難", ["limit"] = 10 }),
                ("package_autocomplete q=kanko (inside names)", "package_autocomplete", new JsonObject { ["q"] = "kanko", ["limit"] = 10 }),
                ("format_autocomplete q=cs", "format_autocomplete", new JsonObject { ["q"] = "cs" }),
                ("tag_autocomplete query=防災", "tag_autocomplete", new JsonObject { ["query"] = "防災" }),
                ("organization_list all_fields (package_count)", "organization_list", new JsonObject { ["all_fields"] = true, ["limit"] = 1000 }),
                ("group_list all_fields (package_count)", "group_list", new JsonObject { ["all_fields"] = true, ["limit"] = 1000 }),
            };
            Report("| other action (anonymous, no result cache) | median ms | p95 ms |");
            Report("|---|---:|---:|");
            foreach (var (label, action, data) in others)
            {
                var times = new List<double>();
                for (var round = -5; round < rounds; round++)
                {
                    var watch = Stopwatch.StartNew();
                    await dispatcher.InvokeAsync(action, Caller.Anonymous, (JsonObject)data.DeepClone());
                    if (round >= 0) times.Add(watch.Elapsed.TotalMilliseconds);
                }
                Report($"| {label} | {Median(times):F2} | {Percentile(times, 0.95):F2} |");
            }
            Report("");
        }
        GC.Collect();
        Report($"- Memory after rebuilds and searches: working set {Environment.WorkingSet / 1024.0 / 1024.0:F0} MiB, managed heap {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F0} MiB");
        await services.DisposeAsync();

        // HTTP: the real host on Kestrel; package_search and status_show measured in the same run. First as deployed
        // (a repeated request is answered from the result cache until the next write), then with the cache off: the
        // same request evaluated every time, and the twelve queries in turn.
        if (httpSeconds > 0)
        {
            var search = "/api/3/action/package_search?q=" + Uri.EscapeDataString("避難所 津市") + "&facet.field=" + Uri.EscapeDataString(facetJson);
            var mix = queries.Select(q => "/api/3/action/package_search?q=" + Uri.EscapeDataString(q) + "&facet.field=" + Uri.EscapeDataString(facetJson)).ToArray();
            Report($"- HTTP on Kestrel, 32 concurrent clients in the same process, {httpSeconds} s each:");
            double? cachedRate = null;
            foreach (var cache in new[] { true, false })
            {
                using var host = new BenchHost(dataDir, cache ? null : new Dictionary<string, string> { [SearchServiceCollectionExtensions.ResultCacheKey] = "0" });
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(host.BaseUrl) };
                var searchRate = await Load(http, [search], httpSeconds);
                var baseRate = await Load(http, ["/api/3/action/status_show"], httpSeconds);
                if (cache)
                {
                    cachedRate = searchRate;
                    Report($"  - package_search (q=避難所 津市, 5 facet fields), result cache on (the default): **{searchRate:N0} requests/s**");
                    Report($"  - status_show, same host: {baseRate:N0} requests/s; package_search / status_show = **{searchRate / baseRate:P0}**");
                }
                else
                {
                    var mixRate = await Load(http, mix, httpSeconds);
                    Report($"  - result cache off, the same package_search evaluated every time: **{searchRate:N0} requests/s** (status_show {baseRate:N0} requests/s, ratio {searchRate / baseRate:P0})");
                    Report($"  - result cache off, the {queries.Length} queries above in turn: **{mixRate:N0} requests/s**");
                }
            }
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

        static async Task<double> Load(HttpClient http, string[] urls, int seconds)
        {
            foreach (var url in urls)
                for (var i = 0; i < 20; i++) (await http.GetAsync(url)).EnsureSuccessStatusCode();
            var count = 0L;
            var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 32).Select(async client =>
            {
                for (var i = client; Stopwatch.GetTimestamp() < until; i++)
                {
                    using var response = await http.GetAsync(urls[i % urls.Length]);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync();
                    Interlocked.Increment(ref count);
                }
            }));
            return count / watch.Elapsed.TotalSeconds;
        }
    }
}
