using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Catalog.Bench;

/// <summary>
/// The web harvester over a generated department site served from 127.0.0.1 (static files with ETag and
/// Last-Modified): a first run into an empty catalog, then an unchanged re-run answered by conditional GETs, with the
/// process's peak working set. Usage: Catalog.Bench harvest [--pages N] [--rounds R] [--concurrency C]
/// [--compare-index-wait]: a fresh catalog, a first run and R - 1 unchanged re-runs (min, median and max reported);
/// with --compare-index-wait all of it twice, with every write waiting for the search index and with the index's
/// catch-ups merged (the default), side by side under the same load. Time per import stage is printed, and when the
/// DataStore has loaded the harvested CSVs (they are loaded after the job, not beside it).
/// </summary>
public static class HarvestBenchmark
{
    private const string Token = "bench-sysadmin-token-0123456789abcdef";

    public static async Task<int> RunAsync(string[] args)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var pages = Option(args, "--pages", 1000);
        var rounds = Option(args, "--rounds", 3);
        var concurrency = Option(args, "--concurrency", 8);
        var modes = args.Contains("--compare-index-wait") ? new[] { true, false } : new[] { false };
        var root = Path.Combine(Path.GetTempPath(), "catalog-harvest-bench", Guid.NewGuid().ToString("N"));
        var siteDir = Path.Combine(root, "site");
        var files = Generate(siteDir, pages);
        Console.WriteLine($"## Harvest run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {pages} pages, {files} files, {Environment.ProcessorCount} cores, max_concurrency {concurrency}");

        var site = await ServeAsync(siteDir);
        var peak = new PeakWorkingSet();
        var first = new List<double>();
        var again = new List<double>();
        try
        {
            // Each mode on a fresh catalog: a first run, then rounds - 1 unchanged re-runs of the same source.
            for (var m = 0; m < modes.Length; m++)
            {
                var perWrite = modes[m];
                var mode = modes.Length == 1 ? "" : perWrite ? " [index wait per write]" : " [index catch-ups merged]";
                var dataDir = Path.Combine(root, $"data-{m}");
                Directory.CreateDirectory(dataDir);
                using var host = new BenchHost(dataDir, new Dictionary<string, string>
                {
                    ["Catalog:SysadminToken"] = Token, ["Catalog:Harvest:IndexWaitPerWrite"] = perWrite ? "true" : "false",
                });
                var timings = host.Services.GetRequiredService<Catalog.Harvester.Import.ImportTimings>();
                using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromMinutes(30) };
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(Token);
                var source = await CallAsync(http, "harvest_source_create", new JsonObject
                {
                    ["name"] = $"bench-{m}", ["url"] = $"{site.Url}/index.html", ["source_type"] = "web",
                    ["config"] = new JsonObject
                    {
                        ["allow_private_addresses"] = true, ["max_depth"] = 3,
                        // Politeness off: the site is our own, on this machine.
                        ["max_concurrency"] = concurrency, ["requests_per_second"] = 0, ["max_pages"] = pages + 100, ["path_prefix"] = "/",
                        ["organization_map"] = new JsonObject { ["総務部"] = "bench-soumu" },
                        ["selectors"] = new JsonObject { ["content"] = "#content", ["breadcrumb"] = "#breadcrumb a" },
                    }.ToJsonString(),
                });
                var sourceId = source["id"]!.GetValue<string>();
                for (var round = 1; round <= Math.Max(1, rounds); round++)
                {
                    var label = round == 1 ? "first run" : $"unchanged re-run {round - 1}";
                    var times = round == 1 ? first : again;
                    peak.Reset();
                    timings.Reset();
                    var cpu = CpuUsage.Now();
                    var clock = Stopwatch.StartNew();
                    var job = await RunJobAsync(http, sourceId);
                    var seconds = clock.Elapsed.TotalSeconds;
                    var used = (CpuUsage.Now() - cpu).Cpu.TotalSeconds;
                    // The summary is of the default (merged) mode; the per-write rounds are for comparing, printed only.
                    if (!perWrite) times.Add(files / seconds);
                    Console.WriteLine($"{label}{mode}: {seconds:F1} s = {files / seconds:F0} files/s ({pages / seconds:F0} pages/s), " +
                        $"CPU {used:F1} s ({used * 1000 / files:F1} ms a file), stats {job["stats"]!.ToJsonString()}, peak working set {peak.PeakMiB:F0} MiB");
                    Console.WriteLine($"  import stages (summed over pages): {timings}");
                    // The DataStore loads the stored CSVs in the background: let it finish, so that the next run is
                    // measured on its own (on a shared machine the load would otherwise land on whichever run follows).
                    var drain = Stopwatch.StartNew();
                    while ((await CallListAsync(http, "job_list", new JsonObject { ["queues"] = new JsonArray("datastore") })).Count > 0)
                        await Task.Delay(200);
                    // Loads wait while a job runs (IngestionQueue.Defer): the DataStore is filled this long after the job began.
                    var filled = seconds + drain.Elapsed.TotalSeconds;
                    Console.WriteLine($"  DataStore queue empty {drain.Elapsed.TotalSeconds:F1} s after the job finished, {filled:F1} s after it began " +
                        $"({pages / filled:F0} tables/s from the start); CPU from the job's start {(CpuUsage.Now() - cpu).Cpu.TotalSeconds:F1} s");
                }
            }
        }
        finally
        {
            peak.Dispose();
            await site.App.StopAsync();
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
        Console.WriteLine($"first run files/s: {first[0]:F0} (target >= 100)");
        Console.WriteLine(again.Count == 0 ? "unchanged re-run files/s: none (--rounds 1)"
            : $"unchanged re-run files/s over {again.Count} re-runs: min {again.Min():F0}, median {Median(again):F0}, max {again.Max():F0} (target >= 500)");
        Console.WriteLine($"peak working set over all rounds: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024:F0} MiB");
        return 0;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    /// <summary>An index of 20 category pages, each linking its department pages; each page links a CSV and a PDF.</summary>
    private static int Generate(string dir, int pages)
    {
        var sjis = Encoding.GetEncoding(932);
        Directory.CreateDirectory(Path.Combine(dir, "cat"));
        Directory.CreateDirectory(Path.Combine(dir, "HP"));
        Directory.CreateDirectory(Path.Combine(dir, "common", "content"));
        const int categories = 20;
        var byCategory = new List<string>[categories];
        for (var c = 0; c < categories; c++) byCategory[c] = [];
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        for (var p = 0; p < pages; p++)
        {
            var c = p % categories;
            var title = $"統計データ {p:0000}";
            var csv = $"/common/content/{p:000000}1.csv";
            var doc = $"/common/content/{p:000000}2.pdf";
            var rows = new StringBuilder("市町,年度,件数,金額\n");
            for (var r = 0; r < 30; r++) rows.Append($"津市,令和{r % 6 + 1}年度,{p * 31 + r},{(p + r) * 1000}\n");
            rows.Append("※出典：三重県調べ,,,\n");
            File.WriteAllBytes(Path.Combine(dir, csv.TrimStart('/')), sjis.GetBytes(rows.ToString()));
            File.WriteAllBytes(Path.Combine(dir, doc.TrimStart('/')), pdf);
            File.WriteAllText(Path.Combine(dir, "HP", $"m{p:0000}.htm"), Page(title, $"/cat/{c}.html", $"カテゴリ{c}",
                $"<p>{title}の説明です。</p><ul><li><a href=\"{csv}\">{title}（CSV：2KB）</a></li><li><a href=\"{doc}\">{title}（PDF）</a></li></ul>",
                "総務部 > 統計課"));
            byCategory[c].Add($"<li><a href=\"/HP/m{p:0000}.htm\">{title}</a></li>");
        }
        for (var c = 0; c < categories; c++)
            File.WriteAllText(Path.Combine(dir, "cat", $"{c}.html"), Page($"カテゴリ{c}", null, null, $"<ul>{string.Concat(byCategory[c])}</ul>", null));
        File.WriteAllText(Path.Combine(dir, "index.html"), Page("オープンデータ", null, null,
            "<ul>" + string.Concat(Enumerable.Range(0, categories).Select(c => $"<li><a href=\"/cat/{c}.html\">カテゴリ{c}</a></li>")) + "</ul>", null));
        return pages * 2;
    }

    private static string Page(string title, string? crumbHref, string? crumb, string body, string? dept) =>
        $"""
        <!DOCTYPE html><html lang="ja"><head><meta charset="UTF-8"><title>{title}</title></head><body>
        <div id="breadcrumb"><a href="/index.html">トップページ</a>{(crumbHref is null ? "" : $" &gt; <a href=\"{crumbHref}\">{crumb}</a>")} &gt; {title}</div>
        <h1>{title}</h1><div id="content">{body}</div>
        <p class="update">最終更新日：令和６年４月１日</p>
        {(dept is null ? "" : $"<div><p>担当所属：{dept}</p></div>")}
        </body></html>
        """;

    private sealed record Site(WebApplication App, string Url);

    private static async Task<Site> ServeAsync(string dir)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(dir), ServeUnknownFileTypes = true });
        await app.StartAsync();
        return new Site(app, $"http://127.0.0.1:{port}");
    }

    private static async Task<JsonObject> CallAsync(HttpClient http, string action, JsonObject data)
    {
        using var response = await http.PostAsJsonAsync($"/api/3/action/{action}", data);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        if (body["success"]?.GetValue<bool>() != true) throw new InvalidOperationException($"{action}: {body.ToJsonString()}");
        return body["result"]!.AsObject();
    }

    private static async Task<JsonArray> CallListAsync(HttpClient http, string action, JsonObject data)
    {
        using var response = await http.PostAsJsonAsync($"/api/3/action/{action}", data);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        if (body["success"]?.GetValue<bool>() != true) throw new InvalidOperationException($"{action}: {body.ToJsonString()}");
        return body["result"]!.AsArray();
    }

    private static async Task<JsonObject> RunJobAsync(HttpClient http, string sourceId)
    {
        var id = (await CallAsync(http, "harvest_job_create", new JsonObject { ["source_id"] = sourceId }))["id"]!.GetValue<string>();
        while (true)
        {
            var job = await CallAsync(http, "harvest_job_show", new JsonObject { ["id"] = id });
            if (job["status"]!.GetValue<string>() is "Finished" or "Aborted") return job;
            await Task.Delay(50);
        }
    }

    /// <summary>The process's working set sampled every 50 ms: its peak since the last reset.</summary>
    private sealed class PeakWorkingSet : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public PeakWorkingSet() => _timer = new Timer(_ => Sample(), null, 0, 50);

        public double PeakMiB { get { Sample(); return Interlocked.Read(ref _peak) / 1024.0 / 1024; } }

        public void Reset() => Interlocked.Exchange(ref _peak, 0);

        private void Sample()
        {
            using var p = Process.GetCurrentProcess();
            var ws = p.WorkingSet64;
            long seen;
            while (ws > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, ws, seen) != seen) { }
        }

        public void Dispose() => _timer.Dispose();
    }

    private static int Option(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var v) ? v : fallback;
}
