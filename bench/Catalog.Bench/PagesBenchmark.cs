using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Catalog.Core;
using Catalog.Core.Store;
using Catalog.Indexer;
using Catalog.Store.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Bench;

/// <summary>
/// The public search page beside the action it renders: over HTTP on one host, GET /dataset?q=…&amp;facet=… and GET
/// /api/3/action/package_search with the same q, filters, sort, rows and facets, one after the other, for varied
/// Japanese queries and facet filters, with the result cache on (as deployed) and off.
/// Usage: Catalog.Bench pages [--datasets N] [--pairs P] [--data DIR]
/// </summary>
public static class PagesBenchmark
{
    /// <summary>What citizens type: words, places, sentences, full-width letters, and the empty search (browsing).</summary>
    private static readonly string[] Queries =
    [
        "避難", "避難所 津市", "AED", "ＡＥＤ 四日市", "人口", "観光施設", "公衆トイレ", "三重県の避難所", "県", "子育て 保育",
        "ごみ収集", "熊野古道", "文化財", "図書館", "医療機関", "交通事故", "地価", "Wi-Fi", "新型コロナ", "イベント",
        "防犯灯", "介護", "洪水 ハザードマップ", "",
    ];

    /// <summary>Facet filters as the page's links set them (field, value), none to two at a time.</summary>
    private static readonly (string Field, string Value)[][] Filters =
    [
        [], [("organization", "org-01")], [("groups", "bousai")], [("tags", "防災")], [("res_format", "CSV")],
        [("license_id", "cc-by-40-intl")], [("organization", "org-02"), ("res_format", "CSV")],
        [("groups", "shisetsu"), ("organization", "org-03")], [("tags", "自治体標準ODS"), ("groups", "iryo-fukushi")],
        [("res_format", "GeoJSON")],
    ];

    private static readonly string[] Sorts = ["score desc, metadata_modified desc", "metadata_modified desc"];

    /// <summary>As the page asks (Catalog.Web SearchModel): five facet fields, ten values each, a page of 20.</summary>
    private static readonly string[] FacetFields = ["organization", "groups", "tags", "res_format", "license_id"];

    private const int Rows = 20;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private sealed record Spec(string Q, (string Field, string Value)[] Filters, string Sort);

    private sealed record Timing(double Api, double Page, bool ApiFirst, long ApiBytes, long PageBytes);

    public static async Task<int> RunAsync(string[] args)
    {
        var datasets = Option(args, "--datasets", 50_000);
        var pairs = Option(args, "--pairs", 240);
        var at = Array.IndexOf(args, "--data");
        var reuse = at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var dataDir = reuse ?? Path.Combine(Path.GetTempPath(), "catalog-pages-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var report = new List<string>();
        void Report(string line) { Console.WriteLine(line); report.Add(line); }

        Report($"## Pages run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Report("");
        Report($"- Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}; .NET {Environment.Version}, server GC");
        try
        {
            datasets = await PrepareAsync(dataDir, reuse is not null, datasets, Report);

            // Every pair a different combination, so that no request is asked twice in a run (the cache on: only the
            // second of a pair, the same search, can be answered from it; that is reported apart).
            var specs = (from q in Queries from f in Filters from s in Sorts select new Spec(q, f, s))
                .OrderBy(s => Hash(s)).Take(pairs).ToList();
            Report($"- {specs.Count} pairs, each a different combination of {Queries.Length} queries × {Filters.Length} facet filters × {Sorts.Length} sorts; one client, one request at a time; rows={Rows}, facet.limit=10, five facet fields");
            foreach (var cache in new[] { true, false })
            {
                var settings = cache ? null : new Dictionary<string, string> { [SearchServiceCollectionExtensions.ResultCacheKey] = "0" };
                using var host = new BenchHost(dataDir, settings);
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 })
                {
                    BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromSeconds(30),
                };
                await WaitReadyAsync(http);
                // JIT and first-use warm-up on searches outside the measured set (filters, chips, no-result help).
                // Every filter and sort, twice: the host measured first in the process must be as JIT-warm as the second.
                for (var round = 0; round < 4; round++)
                    foreach (var q in new[] { "テスト", "統計 三重", "公園", "該当なしの語句" })
                        foreach (var f in Filters)
                        {
                            var warm = new Spec(q, f, Sorts[round % Sorts.Length]);
                            await GetAsync(http, ApiUrl(warm));
                            await GetAsync(http, PageUrl(warm));
                        }
                var timings = new List<Timing>();
                for (var i = 0; i < specs.Count; i++)
                {
                    // Alternate which goes first: with the cache on the second is answered from the first's search.
                    var apiFirst = i % 2 == 0;
                    var (first, second) = apiFirst ? (ApiUrl(specs[i]), PageUrl(specs[i])) : (PageUrl(specs[i]), ApiUrl(specs[i]));
                    var a = await GetAsync(http, first);
                    var b = await GetAsync(http, second);
                    var (api, page) = apiFirst ? (a, b) : (b, a);
                    timings.Add(new Timing(api.Ms, page.Ms, apiFirst, api.Bytes, page.Bytes));
                }
                ReportRun(cache, timings, Report);
                if (!cache) await ProfileAsync(host, specs, Report);
            }
        }
        finally
        {
            if (reuse is null) Directory.Delete(dataDir, recursive: true);
            else Report($"- Data kept in {dataDir}");
        }
        await File.WriteAllLinesAsync(Path.Combine(Path.GetTempPath(), "catalog-pages-bench-report.md"), report);
        return 0;
    }

    private static void ReportRun(bool cache, List<Timing> t, Action<string> report)
    {
        report("");
        report(cache
            ? "### Result cache on (as deployed): the first of each pair searches, the second is answered from the cache"
            : "### Result cache off (Catalog:Search:ResultCacheSize=0): both search every time");
        report("");
        report("| requests | n | API min / median / max ms | page min / median / max ms | page − API, median of medians | median of paired differences |");
        report("|---|---:|---:|---:|---:|---:|");
        var rows = cache
            ? new (string, List<Timing>, List<Timing>)[]
            {
                ("first of the pair (searched)", t.Where(x => x.ApiFirst).ToList(), t.Where(x => !x.ApiFirst).ToList()),
                ("second of the pair (from the cache)", t.Where(x => !x.ApiFirst).ToList(), t.Where(x => x.ApiFirst).ToList()),
            }
            : [("all", t, t)];
        foreach (var (label, apis, pages) in rows)
        {
            var a = apis.Select(x => x.Api).ToList();
            var p = pages.Select(x => x.Page).ToList();
            // Paired differences only where both sides did the same kind of work (both searched or both cached).
            var paired = cache ? [] : t.Select(x => x.Page - x.Api).ToList();
            report($"| {label} | {a.Count} + {p.Count} | {MinMedMax(a)} | {MinMedMax(p)} | **{Median(p) - Median(a):+0.00;-0.00} ms** | " +
                   (paired.Count > 0 ? $"{Median(paired):+0.00;-0.00} ms (p95 {Percentile(paired, 0.95):+0.00;-0.00})" : "—") + " |");
        }
        report("");
        report($"- Response sizes, median: API {Median(t.Select(x => (double)x.ApiBytes).ToList()) / 1024:F1} KiB of JSON, page {Median(t.Select(x => (double)x.PageBytes).ToList()) / 1024:F1} KiB of HTML");
    }

    /// <summary>
    /// Where the page's time goes, in-process on the same host: the page's package_search through the dispatcher, then
    /// the highlighting of its 20 titles and excerpts (the page's own work besides rendering the HTML).
    /// </summary>
    private static async Task ProfileAsync(BenchHost host, List<Spec> specs, Action<string> report)
    {
        var dispatcher = host.Services.GetRequiredService<Catalog.Core.Dispatch.ActionDispatcher>();
        var highlighter = host.Services.GetRequiredService<Catalog.Indexer.Highlighting.SearchHighlighter>();
        var search = new List<double>();
        var highlight = new List<double>();
        var highlightEach = new List<double>();
        foreach (var s in specs.Concat(specs))
        {
            var watch = Stopwatch.StartNew();
            var found = await dispatcher.InvokeAsync("package_search", Catalog.Core.Auth.Caller.Anonymous, new JsonObject
            {
                ["q"] = s.Q, ["sort"] = s.Sort, ["rows"] = Rows, ["start"] = 0, ["facet.limit"] = 10,
                ["fq_list"] = new JsonArray(s.Filters.Select(f => (JsonNode?)$"{f.Field}:\"{f.Value}\"").ToArray()),
                ["facet.field"] = new JsonArray(FacetFields.Select(f => (JsonNode?)f).ToArray()),
            });
            search.Add(watch.Elapsed.TotalMilliseconds);
            var texts = (found?["results"]?.AsArray() ?? []).SelectMany(r =>
                new[] { r?["title"]?.GetValue<string>() ?? "", r?["notes"]?.GetValue<string>() is { Length: > 180 } n ? n[..180] : r?["notes"]?.GetValue<string>() ?? "" })
                .ToList();
            // Side by side: the query built again for every text (the page until 2026-12-04), and built once per page.
            watch.Restart();
            foreach (var text in texts) highlighter.Highlight(s.Q, text);
            highlightEach.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            var once = highlighter.For(s.Q);
            foreach (var text in texts) once(text);
            highlight.Add(watch.Elapsed.TotalMilliseconds);
        }
        report($"- In-process on the same host, cache off, the {specs.Count} searches twice (min / median / max): package_search through the dispatcher " +
               $"{MinMedMax(search)} ms; highlighting the page's 20 titles and excerpts with the query built for each text " +
               $"{MinMedMax(highlightEach)} ms, with the query built once per page (as the page does now) {MinMedMax(highlight)} ms");
    }

    /// <summary>Generates the catalog into a fresh store (or reuses one) and builds its index in-process.</summary>
    private static async Task<int> PrepareAsync(string dataDir, bool reuse, int datasets, Action<string> report)
    {
        await using var services = BenchServices.Create(dataDir);
        var (existing, writing) = await BenchServices.FillStoreAsync(services, reuse, db =>
            new CatalogGenerator().GenerateAsync(db, datasets, done => Console.Error.Write($"\rgenerating {done:N0}/{datasets:N0}")));
        if (existing == 0) report($"- Store: SQLite, {datasets:N0} generated datasets ({writing.TotalSeconds:F0} s, not measured)");
        else
        {
            datasets = existing;
            report($"- Store: SQLite, {datasets:N0} datasets generated by an earlier run");
        }
        var (count, _, merged) = await BenchServices.RebuildAsync(services);
        report($"- Index: {count:N0} datasets rebuilt in {merged.TotalSeconds:F0} s (not measured)");
        return datasets;
    }

    /// <summary>
    /// Waits for /health/ready (store reachable, index caught up) within a bounded time; fails with what the host
    /// last answered rather than retrying forever.
    /// </summary>
    private static async Task WaitReadyAsync(HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        var last = "no answer";
        while (watch.Elapsed < ReadyTimeout)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode) return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e) { last = e.Message; }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The host at {http.BaseAddress} was not ready within {ReadyTimeout.TotalSeconds:F0} s: {last}");
    }

    private static async Task<(double Ms, long Bytes)> GetAsync(HttpClient http, string url)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = watch.Elapsed.TotalMilliseconds;
        // A fast error page must not pass for a fast answer.
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 400)]}");
        return (ms, body.Length);
    }

    private static string ApiUrl(Spec s)
    {
        var facets = new JsonArray(FacetFields.Select(f => (JsonNode?)f).ToArray()).ToJsonString();
        var query = new List<(string, string)> { ("q", s.Q) };
        // The same filter strings the page builds (field:"value", escaped), one fq_list item each.
        query.AddRange(s.Filters.Select(f => ("fq_list", $"{f.Field}:\"{f.Value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"")));
        query.AddRange([("sort", s.Sort), ("rows", Rows.ToString(CultureInfo.InvariantCulture)), ("start", "0"),
            ("facet.field", facets), ("facet.limit", "10")]);
        return "/api/3/action/package_search?" + Encode(query);
    }

    private static string PageUrl(Spec s)
    {
        var query = new List<(string, string)>();
        if (s.Q.Length > 0) query.Add(("q", s.Q));
        if (s.Sort != Sorts[0]) query.Add(("sort", s.Sort));
        query.AddRange(s.Filters);
        return "/dataset" + (query.Count > 0 ? "?" + Encode(query) : "");
    }

    private static string Encode(IEnumerable<(string Key, string Value)> pairs) =>
        string.Join("&", pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>A fixed shuffle (string.GetHashCode differs per process).</summary>
    private static uint Hash(Spec s)
    {
        var h = 2166136261u;
        foreach (var c in $"{s.Q}|{string.Join(",", s.Filters)}|{s.Sort}") h = (h ^ c) * 16777619u;
        return h;
    }

    private static string MinMedMax(List<double> v) => $"{v.Min():F2} / **{Median(v):F2}** / {v.Max():F2}";

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
