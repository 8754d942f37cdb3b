using Catalog.Indexer.Analysis;
using System.Text.Json.Nodes;
using Catalog.Indexer.Querying;

namespace Catalog.Tests.Search;

/// <summary>
/// What citizens type that the first fixture does not cover (Fixtures/relevance-queries-citizen.json, over the same
/// 204 datasets, which were not written for these queries): questions, readings typed before kana-kanji conversion,
/// typos and loanword spellings, and English words. Measured as the share of expected datasets in the top 10 and
/// the mean reciprocal rank of the first expected one; CKAN's analysis is reported beside ours.
/// </summary>
public sealed class CitizenRelevanceTests
{
    private sealed record Case(string Q, string Kind, List<string> Expected);

    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Search", "Fixtures", file);

    private List<JsonObject> _datasets = null!;
    private List<Case> _cases = null!;
    private IndexHarness _ours = null!;
    private CkanBaselineIndex _ckan = null!;

    [OneTimeSetUp]
    public void Load()
    {
        _datasets = JsonNode.Parse(File.ReadAllText(Fixture("relevance-datasets.json")))!.AsArray().Select(d => d!.AsObject()).ToList();
        _cases = JsonNode.Parse(File.ReadAllText(Fixture("relevance-queries-citizen.json")))!.AsArray()
            .Select(c => new Case(c!["q"]!.GetValue<string>(), c["kind"]!.GetValue<string>(),
                c["expected"]!.AsArray().Select(e => e!.GetValue<string>()).ToList()))
            .ToList();
        // With readings when MeCab is installed (test.sh installs it), as the service runs.
        _ours = new IndexHarness(_datasets, Readings.Open(out _));
        _ckan = new CkanBaselineIndex(_datasets);
    }

    [OneTimeTearDown]
    public void Drop()
    {
        _ours.Dispose();
        _ckan.Dispose();
    }

    private List<string> OurTop10(string q) =>
        _ours.Search(new SearchRequest { Q = q, Rows = 10, Visibility = SearchVisibility.Everything })
            .Results.Select(r => r.GetProperty("name").GetString()!).ToList();

    [Test]
    public void The_fixture_has_40_judged_queries_of_the_four_kinds()
    {
        Assert.That(_cases, Has.Count.GreaterThanOrEqualTo(40));
        var names = _datasets.Select(d => d["name"]!.GetValue<string>()).ToHashSet();
        Assert.That(_cases.SelectMany(c => c.Expected).Where(e => !names.Contains(e)), Is.Empty, "every expected dataset exists");
        Assert.That(_cases.Select(c => c.Kind).Distinct(), Is.EquivalentTo(new[] { "question", "reading", "typo", "english" }));
        Assert.That(_cases.GroupBy(c => c.Kind).Select(g => g.Count()), Has.All.GreaterThanOrEqualTo(10));
    }

    /// <summary>Expected datasets found in the top 10, and the reciprocal rank of the first of them.</summary>
    private static (int Found, double Rr) Judge(Case c, List<string> top)
    {
        var first = top.FindIndex(c.Expected.Contains);
        return (c.Expected.Count(top.Contains), first < 0 ? 0 : 1.0 / (first + 1));
    }

    [Test]
    public void Expected_datasets_are_in_our_top_10_and_ckans_analysis_is_reported_beside()
    {
        int expected = 0, ours = 0, ckan = 0;
        double oursRr = 0, ckanRr = 0;
        var byKind = new Dictionary<string, (int Expected, int Ours, int Ckan, double OursRr, double CkanRr, int Queries)>();
        var misses = new List<string>();
        TestContext.Out.WriteLine($"{"query",-28} {"kind",-9} ours         ckan-like");
        foreach (var c in _cases)
        {
            var top = OurTop10(c.Q);
            var (o, orr) = Judge(c, top);
            var (k, krr) = Judge(c, _ckan.Top(c.Q));
            expected += c.Expected.Count; ours += o; ckan += k; oursRr += orr; ckanRr += krr;
            var b = byKind.GetValueOrDefault(c.Kind);
            byKind[c.Kind] = (b.Expected + c.Expected.Count, b.Ours + o, b.Ckan + k, b.OursRr + orr, b.CkanRr + krr, b.Queries + 1);
            if (o < c.Expected.Count || orr < 1) misses.Add($"{c.Q}: found {o}/{c.Expected.Count}, rr {orr:F2}; got {string.Join(", ", top)}");
            TestContext.Out.WriteLine($"{c.Q,-28} {c.Kind,-9} {o}/{c.Expected.Count} rr {orr:F2}  {k}/{c.Expected.Count} rr {krr:F2}");
        }
        TestContext.Out.WriteLine();
        TestContext.Out.WriteLine("| kind | queries | expected in top 10: ours | CKAN-like | MRR: ours | CKAN-like |");
        TestContext.Out.WriteLine("|---|---|---|---|---|---|");
        foreach (var (kind, v) in byKind)
            TestContext.Out.WriteLine($"| {kind} | {v.Queries} | {100.0 * v.Ours / v.Expected:F1} % | {100.0 * v.Ckan / v.Expected:F1} % | {v.OursRr / v.Queries:F2} | {v.CkanRr / v.Queries:F2} |");
        var recall = (double)ours / expected;
        var mrr = oursRr / _cases.Count;
        TestContext.Out.WriteLine($"| all | {_cases.Count} | {100.0 * recall:F1} % | {100.0 * ckan / expected:F1} % | {mrr:F2} | {ckanRr / _cases.Count:F2} |");
        TestContext.Out.WriteLine();
        foreach (var m in misses) TestContext.Out.WriteLine("not first or not all found: " + m);

        // The bar the fixture holds today; the issue's target is 95 % and 0.90 (figures: BENCHMARKS.md).
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.85), "share of expected datasets in the top 10");
        Assert.That(mrr, Is.GreaterThanOrEqualTo(0.80), "mean reciprocal rank");
    }
}
