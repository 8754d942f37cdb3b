using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Catalog.Indexer;
using Catalog.Store.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Bench;

/// <summary>
/// Search under traffic-like load: a varied generated catalog, a mix of distinct faceted package_search requests sent
/// by wrk to the real host on Kestrel with the result cache off, beside status_show on the same host and beside Groonga
/// loaded with the same datasets and the same mix, run after run; then the same mix in-process through the dispatcher.
/// Usage: Catalog.Bench load [--datasets N] [--mix M] [--seconds S] [--runs R] [--no-groonga] [--data DIR]
/// [--no-http] (the in-process part only) [--in-process-seconds S] (the in-process mix in a loop for S seconds, for a
/// profiler to attach; no HTTP) [--writes W] (besides, each run and the in-process mix once more while an editor writes W
/// datasets/s through the API, package_create and package_patch alternating) [--segments N] (the rebuilt index left at N
/// segments: N - 1 more, each of datasets / (2 (N - 1)) datasets written again, as writes between merges leave it)
/// [--alloc-profile] (each phase's allocations by type and the reasons of its gen-2 collections, from the GC's events).
/// </summary>
public static class LoadBenchmark
{
    private sealed record Run(string Target, int Number, WrkResult Wrk, int Gen0, int Gen1, int Gen2, double PauseMs, WriteResult? Writes, TimeSpan Cpu)
    {
        /// <summary>Our process's CPU per answered request: steadier than req/s on a shared machine.</summary>
        public double CpuMsPerRequest => Cpu.TotalMilliseconds / Math.Max(1, Wrk.Requests);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var datasets = Option(args, "--datasets", 10_000);
        var mixSize = Option(args, "--mix", 600);
        var seconds = Option(args, "--seconds", 10);
        var runs = Option(args, "--runs", 5);
        var profileSeconds = Option(args, "--in-process-seconds", 0);
        var writesPerSecond = Option(args, "--writes", 0);
        var segments = Option(args, "--segments", 0);
        var withGroonga = !args.Contains("--no-groonga");
        using var allocations = args.Contains("--alloc-profile") ? new AllocationProfile() : null;
        var phases = new List<string>();
        if (args.Contains("--no-http")) runs = 0;
        var at = Array.IndexOf(args, "--data");
        var reuse = at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var dataDir = reuse ?? Path.Combine(Path.GetTempPath(), "catalog-load-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var work = Path.Combine(Path.GetTempPath(), "catalog-load-bench", "mix-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var report = new List<string>();
        void Report(string line) { Console.WriteLine(line); report.Add(line); }

        Report($"## Load run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Report("");
        Report($"- Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; .NET {Environment.Version}, " +
               $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC ({GCSettings.LatencyMode}{GcEnvironment()}); load average before: {LoadAverage()}");
        try
        {
            var generated = new VariedCatalog().Generate(datasets);
            var notes = generated.Select(d => (double)d.Notes.Length).ToList();
            Report($"- Catalog: {datasets:N0} generated datasets (seed fixed), {generated.Select(d => d.Title).Distinct().Count():N0} distinct titles, " +
                   $"notes {notes.Min():F0}–{notes.Max():F0} characters (median {Percentile(notes, 0.5):F0}), " +
                   $"{generated.SelectMany(d => d.Tags).Distinct().Count()} tags, {generated.Count(d => d.Private):N0} private");
            await PrepareAsync(dataDir, reuse is not null, generated, segments, Report);

            var mix = LoadMix.Generate(mixSize);
            var ckanPaths = Path.Combine(work, "package_search.txt");
            var groongaPaths = Path.Combine(work, "groonga.txt");
            var statusPaths = Path.Combine(work, "status_show.txt");
            await File.WriteAllLinesAsync(ckanPaths, mix.Select(r => r.CkanPath()));
            await File.WriteAllLinesAsync(groongaPaths, mix.Select(r => r.GroongaPath()));
            await File.WriteAllLinesAsync(statusPaths, ["/api/3/action/status_show"]);
            Report($"- Mix: {mix.Count} distinct package_search requests ({mix.Count(r => r.Q.Length == 0)} without words, " +
                   $"{mix.Count(r => r.Filters.Length > 0 || r.ModifiedSince is not null)} filtered, {mix.Count(r => r.Start > 0)} past page 1, " +
                   $"sorts {string.Join(" / ", Enumerable.Range(0, 3).Select(s => mix.Count(r => r.Sort == s)))}), written to {ckanPaths} and {groongaPaths}");

            // The bootstrap sysadmin only makes the editor who writes in the write-heavy runs.
            var sysadminToken = "load-bench-" + Guid.NewGuid().ToString("N");
            var settings = new Dictionary<string, string> { [SearchServiceCollectionExtensions.ResultCacheKey] = "0" };
            if (writesPerSecond > 0) settings[SysadminBootstrap.SettingKey] = sysadminToken;
            using var host = new BenchHost(dataDir, settings);
            if (segments > 0) Report($"- Index served at {host.Services.GetRequiredService<SearchIndex>().SegmentCount} segments (--segments {segments})");
            var dispatcher = host.Services.GetRequiredService<ActionDispatcher>();
            LoadWriter? writer = null;
            if (writesPerSecond > 0)
            {
                var setup = Stopwatch.StartNew();
                var (editorToken, slowest) = await LoadWriter.EditorAsync(host.BaseUrl, sysadminToken);
                Report($"- Editor made through the API (user, token, editor of {VariedCatalog.Municipalities.Length} organizations) in {setup.Elapsed.TotalSeconds:F1} s; slowest call: {slowest}");
                writer = new LoadWriter(host.BaseUrl, editorToken, generated);
            }
            var follower = host.Services.GetRequiredService<IndexFollower>();
            if (writer is not null)
            {
                Report($"- Making the editor (30 memberships) re-indexed {follower.Reindexed:N0} datasets; the index has {follower.Index.SegmentCount} segment(s)");
                // The searches are warmed by checking every request once; the writes by writing for a few seconds, so
                // that the first write-heavy run does not also measure the write path being compiled.
                using var warming = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var warmed = await writer.RunAsync(writesPerSecond, warming.Token);
                Report($"- Write path warmed with {warmed.Succeeded} writes in 5 s ({warmed.Failed} failed); the index has {follower.Index.SegmentCount} segment(s)");
                // What a write costs this process with nothing else running: the part of a write-heavy run's CPU the
                // writes take themselves (the client's side of each call included, which is small beside it).
                var alone = CpuUsage.Now();
                using (var writing = new CancellationTokenSource(TimeSpan.FromSeconds(seconds)))
                {
                    var written = await writer.RunAsync(writesPerSecond, writing.Token);
                    var used = CpuUsage.Now() - alone;
                    Report($"- Writes alone for {seconds} s: {Describe(written)}; our process's CPU {used.Cpu.TotalMilliseconds / Math.Max(1, written.Succeeded):F1} ms " +
                           $"per write (kernel {used.Kernel.TotalMilliseconds / Math.Max(1, written.Succeeded):F1} ms); the index has {follower.Index.SegmentCount} segment(s)");
                }
            }
            if (profileSeconds > 0)
            {
                // For a profiler attached to this process: the in-process mix and nothing else.
                Console.Error.WriteLine($"in-process mix for {profileSeconds} s, pid {Environment.ProcessId}");
                var until = Stopwatch.GetTimestamp() + profileSeconds * Stopwatch.Frequency;
                var n = 0;
                while (Stopwatch.GetTimestamp() < until)
                {
                    try { await dispatcher.InvokeAsync("package_search", Caller.Anonymous, mix[n++ % mix.Count].CkanData()); }
                    catch (ActionException) { }
                }
                Report($"- In-process loop: {n:N0} searches in {profileSeconds} s");
                return 0;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var overBudget = new List<string>();
            var ours = await CheckAsync(http, host.BaseUrl, mix.Select(r => r.CkanPath()), body =>
                JsonNode.Parse(body)?["result"]?["count"]?.GetValue<int>() ?? throw new InvalidOperationException(body), overBudget);
            Report($"- Our answers: {ours.Count(c => c == 0)} of {mix.Count} empty, matches median {Percentile(ours.Select(c => (double)c).ToList(), 0.5):F0}" +
                   (overBudget.Count == 0 ? "" : $"; {overBudget.Count} stopped by the search time budget three times in a row (Search Error), first: {overBudget[0]}"));
            GroongaPeer? groonga = null;
            if (withGroonga && runs > 0)
            {
                groonga = await GroongaPeer.StartAsync(generated);
                var theirs = await CheckAsync(http, groonga.BaseUrl, mix.Select(r => r.GroongaPath()), body =>
                    JsonNode.Parse(body)?[1]?[0]?[0]?[0]?.GetValue<int>() ?? throw new InvalidOperationException(body));
                Report($"- Groonga {GroongaVersion()}: loaded in {groonga.LoadTime.TotalSeconds:F1} s; answers {theirs.Count(c => c == 0)} of {mix.Count} empty, " +
                       $"matches median {Percentile(theirs.Select(c => (double)c).ToList(), 0.5):F0}");
            }
            if (runs > 0)
            {
                try
                {
                    var results = new List<Run>();
                    Report($"- wrk, 2 threads, 32 connections, {seconds} s per run, {runs} runs; in each run package_search, " +
                           (writer is null ? "" : $"package_search while an editor writes {writesPerSecond} datasets/s through the API, ") + "status_show, then Groonga:");
                    Report("");
                    Report("| run | target | req/s | p50 ms | p99 ms | errors / non-2xx | CPU ms per request, GC gen0/1/2, pause ms (our process) | writes: done / failed / skipped, achieved /s, p50 / p99 ms |");
                    Report("|---:|---|---:|---:|---:|---:|---|---|");
                    for (var run = 1; run <= runs; run++)
                    {
                        var targets = new List<(string, string, string, bool)> { ("package_search", host.BaseUrl, ckanPaths, false) };
                        if (writer is not null) targets.Add((WritingTarget, host.BaseUrl, ckanPaths, true));
                        targets.Add(("status_show", host.BaseUrl, statusPaths, false));
                        if (groonga is not null) targets.Add(("Groonga select", groonga.BaseUrl, groongaPaths, false));
                        foreach (var (target, baseUrl, paths, writing) in targets)
                        {
                            var (g0, g1, g2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
                            var cpu = CpuUsage.Now();
                            allocations?.TakePhase();
                            using var stopWrites = new CancellationTokenSource();
                            var writes = writing ? writer!.RunAsync(writesPerSecond, stopWrites.Token) : null;
                            var wrk = await Wrk.RunAsync(baseUrl, paths, seconds);
                            await stopWrites.CancelAsync();
                            var written = writes is null ? null : await writes;
                            var r = new Run(target, run, wrk, GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2,
                                (GC.GetTotalPauseDuration() - pause).TotalMilliseconds, written, (CpuUsage.Now() - cpu).Cpu);
                            results.Add(r);
                            if (allocations is not null) phases.Add($"- Run {run}, {target}: {allocations.TakePhase()}");
                            Report($"| {run} | {target} | {wrk.RequestsPerSecond:N0} | {wrk.P50Ms:F1} | {wrk.P99Ms:F1} | {wrk.Errors} / {wrk.Non2xx} | {r.CpuMsPerRequest:F2}, {r.Gen0}/{r.Gen1}/{r.Gen2}, {r.PauseMs:F0} | " +
                                   (written is null ? "" : Describe(written)) + " |");
                        }
                    }
                    Report("");
                    foreach (var phase in phases) Report(phase);
                    if (phases.Count > 0) Report("");
                    Report($"### Summary: {datasets:N0} datasets, {mix.Count} distinct requests, result cache off, {runs} runs × {seconds} s, load average after: {LoadAverage()}");
                    Report("");
                    Report("| target | req/s min / median / max | slowest vs median | p99 ms min / median / max |");
                    Report("|---|---:|---:|---:|");
                    foreach (var group in results.GroupBy(r => r.Target))
                    {
                        var rates = group.Select(r => r.Wrk.RequestsPerSecond).ToList();
                        var p99 = group.Select(r => r.Wrk.P99Ms).ToList();
                        Report($"| {group.Key} | {rates.Min():N0} / **{Percentile(rates, 0.5):N0}** / {rates.Max():N0} | {rates.Min() / Percentile(rates, 0.5) - 1:P0} | " +
                               $"{p99.Min():F1} / **{Percentile(p99, 0.5):F1}** / {p99.Max():F1} |");
                    }
                    double Median(string target) => Percentile(results.Where(r => r.Target == target).Select(r => r.Wrk.RequestsPerSecond).ToList(), 0.5);
                    Report("");
                    Report($"- package_search / status_show: **{Median("package_search") / Median("status_show"):P1}**" +
                           (groonga is null ? "" : $"; package_search / Groonga: **{Median("package_search") / Median("Groonga select"):F2}×**"));
                    if (writer is not null)
                    {
                        double P99(string target) => Percentile(results.Where(r => r.Target == target).Select(r => r.Wrk.P99Ms).ToList(), 0.5);
                        var all = results.Select(r => r.Writes).OfType<WriteResult>().ToList();
                        Report($"- With {writesPerSecond} writes/s beside the searches: req/s median **{Median(WritingTarget) / Median("package_search") - 1:+0%;-0%}**, " +
                               $"p99 median **{P99(WritingTarget) / P99("package_search") - 1:+0%;-0%}** (issue 21: within 20 %); writes achieved " +
                               $"{all.Sum(w => w.Succeeded) / all.Sum(w => w.Elapsed.TotalSeconds):F1}/s over the runs, {all.Sum(w => w.Failed)} failed, {all.Sum(w => w.Skipped)} skipped" +
                               string.Concat(all.SelectMany(w => w.FirstErrors).Distinct().Take(3).Select(e => $"; error: {e}")));
                        // Each write-heavy run beside the run without writes just before it: what the searches cost per request
                        // there, and what is left of the write-heavy run's CPU once its searches are paid at that price.
                        var pairs = results.Where(r => r.Writes is not null)
                            .Select(w => (Writing: w, Quiet: results.Single(q => q.Number == w.Number && q.Target == "package_search"))).ToList();
                        var perSearch = pairs.Select(p => p.Writing.CpuMsPerRequest / p.Quiet.CpuMsPerRequest - 1).ToList();
                        var perWrite = pairs.Select(p => (p.Writing.Cpu.TotalMilliseconds - p.Writing.Wrk.Requests * p.Quiet.CpuMsPerRequest)
                                                         / Math.Max(1, p.Writing.Writes!.Succeeded)).ToList();
                        Report($"- CPU per request with writes beside, against the run before: {string.Join(", ", perSearch.Select(x => x.ToString("+0%;-0%")))}; " +
                               $"what that leaves per write, searches paid at the quiet run's price: {string.Join(", ", perWrite.Select(x => x.ToString("F1")))} ms");
                    }
                }
                finally
                {
                    groonga?.Dispose();
                }
            }

            // The same mix in-process: the whole action through the dispatcher, as an anonymous caller; the first pass
            // warms up. Beside it the same requests with the five facet fields in one order, as the dataset page asks:
            // the facet tables are kept per segment and ordered field list (16 lists at most), which a varied mix exceeds.
            var passes = new List<(string, List<LoadRequest>, bool)>
            {
                ("the same requests", mix, false),
                ("the same with the five facet fields in one order", mix.Select(r => r with { Facets = LoadRequest.FacetFields.Select(f => f.Ckan).ToArray() }).ToList(), false),
            };
            if (writer is not null) passes.Add(($"the same requests while an editor writes {writesPerSecond} datasets/s through the API", mix, true));
            foreach (var (label, requests, writing) in passes)
            {
                using var stopWrites = new CancellationTokenSource();
                var writes = writing ? writer!.RunAsync(writesPerSecond, stopWrites.Token) : null;
                var times = new List<double>();
                var stopped = 0;
                var (gen0, gen2, allocated, paused) = (GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration());
                allocations?.TakePhase();
                for (var pass = 0; pass < 3; pass++)
                    foreach (var request in requests)
                    {
                        var watch = Stopwatch.StartNew();
                        // A search out of its time budget answers CKAN's search error: counted (and timed), not fatal.
                        try { await dispatcher.InvokeAsync("package_search", Caller.Anonymous, request.CkanData()); }
                        catch (ActionException) when (pass > 0) { stopped++; }
                        catch (ActionException) { }
                        if (pass > 0) times.Add(watch.Elapsed.TotalMilliseconds);
                    }
                await stopWrites.CancelAsync();
                var written = writes is null ? null : await writes;
                Report($"- In-process, {label} ({mix.Count}) through the dispatcher, 2 measured passes: median **{Percentile(times, 0.5):F2} ms**, " +
                       $"p99 {Percentile(times, 0.99):F2} ms, max {times.Max():F1} ms; allocated {(GC.GetTotalAllocatedBytes() - allocated) / (3.0 * mix.Count) / 1024:F0} KiB per request, " +
                       $"{GC.CollectionCount(0) - gen0} gen-0 and {GC.CollectionCount(2) - gen2} gen-2 collections, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms" +
                       (stopped > 0 ? $"; {stopped} answered with an error (search time budget)" : "") +
                       (written is null ? "" : $"; writes {Describe(written)}"));
                if (allocations is not null) Report($"  - allocations: {allocations.TakePhase()}");
            }
            if (writer is not null)
            {
                var (storeMs, indexMs) = await LoadWriter.TracePhasesAsync(host.Services, generated, 20);
                Report($"- One write traced (20 package_create in a row in-process, nothing else running), medians: store transaction {storeMs:F1} ms, index catch-up {indexMs:F1} ms");
                Report($"- After all the writes the index has {follower.Index.SegmentCount} segment(s) ({follower.Reindexed:N0} datasets re-indexed by catch-ups)");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            if (reuse is null) Directory.Delete(dataDir, recursive: true);
            else Report($"- Data kept in {dataDir}");
        }
        await File.WriteAllLinesAsync(Path.Combine(Path.GetTempPath(), "catalog-load-bench-report.md"), report);
        return 0;
    }

    /// <summary>
    /// Asks every request once (warm-up, and no error may pass for a fast answer); returns the match counts. A search
    /// stopped by its time budget (CKAN's Search Error, 409) is asked again, twice at most: on a loaded machine the
    /// first, cold answer can miss the budget without anything being wrong with the request. One that misses it three
    /// times is counted in <paramref name="overBudget"/> (reported) and left out of the counts; any other error fails.
    /// </summary>
    private static async Task<List<int>> CheckAsync(HttpClient http, string baseUrl, IEnumerable<string> paths, Func<string, int> count,
        List<string>? overBudget = null)
    {
        var counts = new List<int>();
        foreach (var path in paths)
            for (var attempt = 1; ; attempt++)
            {
                using var response = await http.GetAsync(baseUrl + path);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == System.Net.HttpStatusCode.Conflict && body.Contains("\"Search Error\"", StringComparison.Ordinal) && overBudget is not null)
                {
                    if (attempt < 3) continue;
                    overBudget.Add(path);
                    break;
                }
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 400)]}");
                counts.Add(count(body));
                break;
            }
        return counts;
    }

    /// <summary>Writes the catalog into a fresh store (or finds it there) and rebuilds the index in-process.</summary>
    private static async Task PrepareAsync(string dataDir, bool reuse, IReadOnlyList<VariedDataset> generated, int segments, Action<string> report)
    {
        await using var services = BenchServices.Create(dataDir);
        var (existing, writing) = await BenchServices.FillStoreAsync(services, reuse, db =>
            VariedCatalog.WriteAsync(db, generated, done => Console.Error.Write($"\rgenerating {done:N0}/{generated.Count:N0}")));
        if (existing == 0) report($"- Store: SQLite, written in {writing.TotalSeconds:F0} s (not measured)");
        // A write-heavy run adds datasets (package_create) to the store it was given: more than generated is that.
        else if (existing < generated.Count)
            throw new InvalidOperationException($"The data folder holds {existing:N0} datasets, fewer than {generated.Count:N0}: pass --datasets {existing}");
        else report(existing == generated.Count ? "- Store: SQLite, written by an earlier run"
            : $"- Store: SQLite, written by an earlier run, {existing - generated.Count:N0} datasets more from its writes");
        var (count, searchable, merged) = await BenchServices.RebuildAsync(services);
        var bytes = new DirectoryInfo(Path.Combine(dataDir, "index")).EnumerateFiles().Sum(f => f.Length);
        report($"- Index: {count:N0} datasets rebuilt and searchable in {searchable.TotalSeconds:F1} s ({count / searchable.TotalSeconds:N0} datasets/s), " +
               $"merged by {merged.TotalSeconds:F1} s; {bytes / 1048576.0:F0} MB on disk");
        if (segments > 1) LeaveSegments(services.GetRequiredService<SearchIndex>(), segments);
    }

    /// <summary>
    /// The merged index left at <paramref name="segments"/> segments, as a catalog written to between merges is searched:
    /// the first datasets written again, a slice per commit, merges held off meanwhile (search cost grows per segment).
    /// </summary>
    private static void LeaveSegments(SearchIndex index, int segments)
    {
        var perSegment = Math.Max(1, index.DocumentCount / (2 * (segments - 1)));
        var dicts = index.WithSearcher(searcher =>
        {
            var leaf = searcher.IndexReader.Leaves[0].AtomicReader;
            return Enumerable.Range(0, Math.Min(leaf.MaxDoc, perSegment * (segments - 1)))
                .Select(doc => JsonObject.Create(DatasetDocument.ReadDict(leaf, doc))!).ToList();
        });
        using (index.Bulk())
            foreach (var slice in dicts.Chunk(perSegment))
            {
                foreach (var dict in slice) index.Upsert(dict);
                index.Commit(index.AppliedSeq);
            }
    }

    private const string WritingTarget = "package_search + writes";

    private static string Describe(WriteResult w) =>
        $"{w.Succeeded} / {w.Failed} / {w.Skipped}, {w.AchievedPerSecond:F1}/s, {w.P50Ms:F0} / {w.P99Ms:F0} ms";

    /// <summary>GC settings given through the environment (the runs comparing GC modes set them per process).</summary>
    private static string GcEnvironment()
    {
        var set = Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(k => k.StartsWith("DOTNET_gc", StringComparison.OrdinalIgnoreCase))
            .Order().Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").ToList();
        return set.Count == 0 ? "" : "; " + string.Join(", ", set);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string GroongaVersion()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("groonga", ["--version"]) { RedirectStandardOutput = true })!;
            var first = p.StandardOutput.ReadLine() ?? "";
            p.WaitForExit();
            return first.Split(' ').Skip(1).FirstOrDefault() ?? first;
        }
        catch (System.ComponentModel.Win32Exception) { return "(version unknown)"; }
    }

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
