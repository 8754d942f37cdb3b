using System.Text.Json.Nodes;

namespace Catalog.Tests.Search;

/// <summary>
/// What Japanese users type against a realistic catalog of Mie datasets (Fixtures/relevance-*.json, 13 categories):
/// every expected dataset must be in our top 10. The same queries against CKAN's analysis are reported beside ours.
/// </summary>
public sealed class RelevanceTests
{
    private RelevanceFixture _fixture = null!;
    private List<RelevanceCase> _cases = null!;

    [OneTimeSetUp]
    public void Load()
    {
        _fixture = new RelevanceFixture();
        _cases = RelevanceFixture.Cases("relevance-queries.json");
    }

    [OneTimeTearDown] public void Drop() => _fixture.Dispose();

    private List<string> OurTop10(string q) => _fixture.OurTop10(q);

    [Test]
    public void The_fixture_is_a_realistic_catalog()
    {
        Assert.That(_fixture.Datasets, Has.Count.GreaterThanOrEqualTo(200));
        Assert.That(_fixture.Datasets.Select(d => d["groups"]![0]!["name"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(13));
        Assert.That(_cases, Has.Count.GreaterThanOrEqualTo(40));
        var names = _fixture.Datasets.Select(d => d["name"]!.GetValue<string>()).ToHashSet();
        Assert.That(_cases.SelectMany(c => c.Expected).Where(e => !names.Contains(e)), Is.Empty, "every expected dataset exists");
        Assert.That(_cases.Select(c => c.Kind).Distinct(), Is.SupersetOf(new[] { "partial", "width", "mixed", "single-kanji", "synonym" }));
    }

    [Test]
    public void Every_expected_dataset_is_in_our_top_10_and_ckans_analysis_is_reported_beside()
    {
        var misses = new List<string>();
        int ours = 0, ckan = 0, oursFirst = 0, ckanFirst = 0;
        var byKind = new Dictionary<string, (int Total, int Ours, int Ckan)>();
        TestContext.Out.WriteLine($"{"query",-28} {"kind",-13} ours  ckan-like");
        foreach (var c in _cases)
        {
            var top = OurTop10(c.Q);
            var ckanTop = _fixture.Ckan.Top(c.Q);
            var ourHit = c.Expected.All(top.Contains);
            var ckanHit = c.Expected.All(ckanTop.Contains);
            // Stricter: the expected datasets fill the first places.
            var first = ourHit && top.Take(c.Expected.Count).All(c.Expected.Contains);
            if (first) oursFirst++;
            if (ckanHit && ckanTop.Take(c.Expected.Count).All(c.Expected.Contains)) ckanFirst++;
            if (ourHit) ours++; else misses.Add($"{c.Q}: missing {string.Join(", ", c.Expected.Except(top))}; got {string.Join(", ", top)}");
            if (ckanHit) ckan++;
            var k = byKind.GetValueOrDefault(c.Kind);
            byKind[c.Kind] = (k.Total + 1, k.Ours + (ourHit ? 1 : 0), k.Ckan + (ckanHit ? 1 : 0));
            TestContext.Out.WriteLine($"{c.Q,-28} {c.Kind,-13} {(ourHit ? "hit " : "MISS")}  {(ckanHit ? "hit" : "miss")}" +
                (ourHit && !first ? $"   (ours ranks {string.Join(", ", top.TakeWhile(n => !c.Expected.Contains(n)))} higher)" : ""));
        }
        TestContext.Out.WriteLine();
        foreach (var (kind, (total, o, k)) in byKind)
            TestContext.Out.WriteLine($"{kind,-13} {total,3} queries: ours {o}/{total}, CKAN-like {k}/{total}");
        TestContext.Out.WriteLine($"Hit rate (every expected dataset in the top 10) over {_cases.Count} queries, {_fixture.Datasets.Count} datasets: " +
            $"ours {100.0 * ours / _cases.Count:F1}% ({ours}), CKAN-like analysis {100.0 * ckan / _cases.Count:F1}% ({ckan})");
        TestContext.Out.WriteLine($"Expected datasets ranked first (before any other): ours {oursFirst}/{_cases.Count}, CKAN-like {ckanFirst}/{_cases.Count}");

        Assert.That(misses, Is.Empty);
        Assert.That(ours, Is.GreaterThan(ckan));
    }
}
