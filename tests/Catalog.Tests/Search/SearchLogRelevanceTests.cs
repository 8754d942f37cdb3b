namespace Catalog.Tests.Search;

/// <summary>
/// Queries written in the style of real search logs (Fixtures/relevance-queries-logs.json, over the same 204 datasets):
/// kana typos as an input method leaves them, full-width and half-width mixes, long questions in natural Japanese,
/// and English words for Japanese titles. Measured as the share of expected datasets in the top 10 and the mean
/// reciprocal rank of the first; CKAN's analysis is reported beside ours. The assertions hold the level reached today.
/// </summary>
public sealed class SearchLogRelevanceTests
{
    private RelevanceFixture _fixture = null!;
    private List<RelevanceCase> _cases = null!;

    [OneTimeSetUp]
    public void Load()
    {
        _fixture = new RelevanceFixture();
        _cases = RelevanceFixture.Cases("relevance-queries-logs.json");
    }

    [OneTimeTearDown] public void Drop() => _fixture.Dispose();

    [Test]
    public void The_fixture_has_30_judged_queries_of_the_four_kinds()
    {
        Assert.That(_cases, Has.Count.GreaterThanOrEqualTo(30));
        Assert.That(_cases.Select(c => c.Q).Distinct().Count(), Is.EqualTo(_cases.Count), "no query twice");
        var names = _fixture.Datasets.Select(d => d["name"]!.GetValue<string>()).ToHashSet();
        Assert.That(_cases.SelectMany(c => c.Expected).Where(e => !names.Contains(e)), Is.Empty, "every expected dataset exists");
        Assert.That(_cases.Select(c => c.Kind).Distinct(), Is.EquivalentTo(new[] { "kana-typo", "width", "question", "english" }));
        Assert.That(_cases.GroupBy(c => c.Kind).Select(g => g.Count()), Has.All.GreaterThanOrEqualTo(7));
        Assert.That(_cases.Select(c => c.Expected.Count), Has.All.InRange(1, 10), "all expected fit in a top 10");
    }

    private static (int Found, double Rr) Judge(RelevanceCase c, List<string> top)
    {
        var first = top.FindIndex(c.Expected.Contains);
        return (c.Expected.Count(top.Contains), first < 0 ? 0 : 1.0 / (first + 1));
    }

    [Test]
    public void Log_style_queries_find_their_datasets_at_todays_level_with_ckans_analysis_beside()
    {
        int expected = 0, ours = 0, ckan = 0;
        double oursRr = 0, ckanRr = 0;
        var byKind = new Dictionary<string, (int Expected, int Ours, int Ckan, double OursRr, double CkanRr, int Queries)>();
        TestContext.Out.WriteLine($"{"query",-30} {"kind",-9} ours         ckan-like");
        foreach (var c in _cases)
        {
            var top = _fixture.OurTop10(c.Q);
            var (o, orr) = Judge(c, top);
            var (k, krr) = Judge(c, _fixture.Ckan.Top(c.Q));
            expected += c.Expected.Count; ours += o; ckan += k; oursRr += orr; ckanRr += krr;
            var b = byKind.GetValueOrDefault(c.Kind);
            byKind[c.Kind] = (b.Expected + c.Expected.Count, b.Ours + o, b.Ckan + k, b.OursRr + orr, b.CkanRr + krr, b.Queries + 1);
            TestContext.Out.WriteLine($"{c.Q,-30} {c.Kind,-9} {o}/{c.Expected.Count} rr {orr:F2}  {k}/{c.Expected.Count} rr {krr:F2}" +
                                      (o < c.Expected.Count || orr < 1 ? $"  got {string.Join(", ", top)}" : ""));
        }
        TestContext.Out.WriteLine();
        TestContext.Out.WriteLine("| kind | queries | expected in top 10: ours | CKAN-like | MRR: ours | CKAN-like |");
        TestContext.Out.WriteLine("|---|---|---|---|---|---|");
        foreach (var (kind, v) in byKind)
            TestContext.Out.WriteLine($"| {kind} | {v.Queries} | {100.0 * v.Ours / v.Expected:F1} % | {100.0 * v.Ckan / v.Expected:F1} % | {v.OursRr / v.Queries:F2} | {v.CkanRr / v.Queries:F2} |");
        var recall = (double)ours / expected;
        var mrr = oursRr / _cases.Count;
        TestContext.Out.WriteLine($"| all | {_cases.Count} | {100.0 * recall:F1} % | {100.0 * ckan / expected:F1} % | {mrr:F2} | {ckanRr / _cases.Count:F2} |");

        // Today's level (BENCHMARKS.md, "Search under varied load"), not a target: a fall below it is a regression.
        Assert.That(recall, Is.GreaterThanOrEqualTo(RecallToday), "share of expected datasets in the top 10");
        Assert.That(mrr, Is.GreaterThanOrEqualTo(MrrToday), "mean reciprocal rank");
    }

    // Measured 2026-12-04: 64.5 % in the top 10 and MRR 0.69 (CKAN-like 22.4 % and 0.29). By kind: kana typos 14.8 %
    // (only こみゅにてぃばす found: no fuzzy matching of readings), width mixes 100 %, long questions 100 %, English 54.5 %
    // ("AED locations" and "nursery school" find nothing: every word must match, and no English synonyms).
    private const double RecallToday = 0.64;
    private const double MrrToday = 0.68;
}
