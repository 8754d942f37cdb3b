using System.Diagnostics;
using System.Text.Json.Nodes;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;

namespace Catalog.Tests.Search;

/// <summary>
/// What the typo path costs at 20,000 datasets (the relevance fixture's datasets, copied under other names), side by
/// side with the exact word in the same run: a one-edit katakana word (strict search, then the widened one) and a
/// two-edit word (both, then the suggestions' count-only searches). Explicit: run it alone, on a quiet machine
/// (BENCHMARKS.md "Citizen queries").
/// </summary>
[Explicit("a measurement: dotnet test tests/Catalog.Tests -c Release --filter FullyQualifiedName~TypoToleranceTimingTests")]
public sealed class TypoToleranceTimingTests
{
    [Test]
    public void The_typo_path_costs_a_few_milliseconds()
    {
        var originals = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Search", "Fixtures", "relevance-datasets.json")))!
            .AsArray().Select(d => d!.AsObject()).ToList();
        var copies = (20_000 + originals.Count - 1) / originals.Count;
        var datasets = Enumerable.Range(0, copies).SelectMany(i => originals.Select(d =>
        {
            var copy = d.DeepClone().AsObject();
            copy["id"] = Guid.NewGuid().ToString();
            copy["name"] = $"{d["name"]!.GetValue<string>()}-{i}";
            return copy;
        })).Take(20_000);
        using var h = new IndexHarness(datasets, Readings.Open(out _));

        string[] facets = ["organization", "groups", "tags", "res_format", "license_id"];
        double Median(string q)
        {
            var request = new SearchRequest { Q = q, Rows = 10, FacetFields = facets, Visibility = SearchVisibility.Anonymous };
            for (var i = 0; i < 5; i++) h.Search(request);
            var times = new List<double>();
            for (var i = 0; i < 40; i++)
            {
                var started = Stopwatch.GetTimestamp();
                h.Search(request);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            times.Sort();
            return times[times.Count / 2];
        }

        var cases = new (string Label, string Q)[]
        {
            ("exact", "ハザードマップ"), ("one edit (widened)", "ハザードマプ"), ("two edits (suggestions)", "ハザドマプ"),
            ("exact", "コミュニティバス"), ("one edit (widened)", "コミニュティバス"), ("typical", "避難所 津市"),
        };
        var medians = cases.Select(c => (c.Label, c.Q, Ms: Median(c.Q))).ToList();
        TestContext.Out.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        TestContext.Out.WriteLine("| query | path | median ms |");
        TestContext.Out.WriteLine("|---|---|---:|");
        foreach (var (label, q, ms) in medians) TestContext.Out.WriteLine($"| {q} | {label} | {ms:F2} |");
        Assert.That(medians.Where(m => m.Label != "exact" && m.Label != "typical").Select(m => m.Ms), Has.All.LessThan(50),
            "the typo path stays within a few milliseconds (generous bound for a loaded machine)");
    }
}
