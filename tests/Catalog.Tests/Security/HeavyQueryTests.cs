using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core.Store;
using Catalog.Indexer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Security;

/// <summary>
/// No anonymous package_search runs long: over a catalog of a few hundred generated datasets, every costly form of
/// query (patterns, fuzzy forms, ranges over every term, deep nesting, long text) is either answered in time or
/// refused with CKAN's search error, and what people really type still works.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class HeavyQueryTests(TestStore store) : CatalogApiTests(store)
{
    private const int Datasets = 300;

    /// <summary>Well above an answer's time here, well below what an unbounded query of this kind can take.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private static readonly string[] Words =
    [
        "避難所", "防災", "人口", "統計", "図書館", "開館時間", "公園", "道路", "観光", "施設", "予算", "決算", "保育所", "学校",
        "病院", "医療機関", "消防", "水道", "下水道", "交通", "バス停", "駐車場", "文化財", "イベント", "選挙", "投票所",
        "ごみ収集", "リサイクル", "気象", "地震", "津波", "ハザードマップ", "空き家", "農業", "漁業", "林業", "商工", "雇用",
        "data", "open", "station", "shelter", "library", "population", "budget", "tourism", "park", "school", "hospital",
    ];

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("heavy-org", "重負荷市");
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var org = await db.Groups.SingleAsync(g => g.Name == "heavy-org");
            var random = new Random(7);
            string Text(int words) => string.Join(random.Next(3) == 0 ? " " : "、", Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));
            var now = DateTime.UtcNow;
            for (var i = 0; i < Datasets; i++)
            {
                var id = Guid.NewGuid().ToString();
                db.Packages.Add(new Package
                {
                    Id = id, Name = $"heavy-{i:D3}", Title = $"{Text(2)}一覧 {i}", OwnerOrgId = org.Id,
                    Notes = i == 0 ? "市立図書館の開館時間と休館日の一覧です。" : Text(30), Author = $"{Text(1)}課", Maintainer = $"{Text(1)}係",
                    MetadataCreated = now, MetadataModified = now,
                    Resources = Enumerable.Range(0, 2).Select(r => new Resource
                    {
                        Id = Guid.NewGuid().ToString(), PackageId = id, Position = r, Name = Text(3), Description = Text(10),
                        Url = $"http://example.lg.jp/heavy/{i}/{r}.csv", Format = r == 0 ? "CSV" : "XLSX", Created = now,
                    }).ToList(),
                });
            }
            await db.SaveChangesAsync();
        }
        await Host.Services.GetRequiredService<IndexFollower>().RebuildAsync();
    }

    private async Task<(ApiResponse Response, TimeSpan Elapsed)> TimedSearchAsync(JsonObject data)
    {
        var watch = Stopwatch.StartNew();
        var r = await Anon.PostAsync("package_search", data);
        return (r, watch.Elapsed);
    }

    private static JsonObject Q(string q, object? extra = null)
    {
        var data = new JsonObject { ["q"] = q };
        if (extra is not null)
            foreach (var (k, v) in JsonNode.Parse(CkanClient.Serialize(extra))!.AsObject()) data[k] = v?.DeepClone();
        return data;
    }

    private static JsonObject Fq(params string[] filters) => new() { ["fq_list"] = new JsonArray(filters.Select(f => (JsonNode?)f).ToArray()) };

    private static IEnumerable<TestCaseData> Heavy()
    {
        TestCaseData Case(string name, JsonObject data) => new TestCaseData(data).SetName($"Heavy: {name}");
        var letters = "abcdefghijklmnopqrstuvwxyz";
        yield return Case("leading and trailing wildcard over text", Q("text:*a*"));
        yield return Case("every term of text", Q("text:*"));
        yield return Case("a range over every term of text", Q("text:[* TO *]"));
        yield return Case("a pattern on the notes", Q("notes:*難*"));
        yield return Case("a Latin pattern on resource descriptions", Q("res_description:*a*"));
        yield return Case("a leading wildcard, Lucene syntax without a colon", Q("*ta*", new { defType = "lucene" }));
        yield return Case("a fuzzy single kanji", Q("text:避~2"));
        yield return Case("a fuzzy word on the notes", Q("notes:データ~"));
        yield return Case("a fuzzy single letter", Q("text:a~2"));
        yield return Case("patterns in a filter", Fq("text:*a* AND notes:*e*"));
        yield return Case("fifty pattern filters", Fq([.. Enumerable.Range(0, 50).Select(i => $"text:*{letters[i % 26]}*")]));
        yield return Case("a filter of 150 patterns", Fq(string.Join(" OR ", Enumerable.Range(0, 150).Select(i => $"text:*{letters[i % 26]}{letters[i / 26]}*"))));
        yield return Case("ten levels of parentheses", Q(new string('(', 10) + "text:*a*" + new string(')', 10)));
        yield return Case("a thousand characters of Japanese", Q(string.Concat(Enumerable.Range(0, 500).Select(i => Words[i % 38]))[..1000]));
        yield return Case("a thousand characters of words", Q(string.Join(" ", Enumerable.Range(0, 400).Select(i => Words[i % Words.Length]))[..1000]));
        yield return Case("a long phrase on the notes", Q("notes:\"" + string.Concat(Enumerable.Range(0, 400).Select(i => Words[i % 38]))[..900] + "\""));
        yield return Case("every facet value of twenty fields", Q("*:*", new { rows = 1000 }).WithFacets(20, limit: -1));
        yield return Case("the deepest page", Q("*:*", new { rows = 1000, start = 100_000 }));
        yield return Case("six sort fields", Q("text:*e*", new { sort = "score desc, metadata_modified desc, metadata_created asc, name asc, title_string desc, id asc" }));
    }

    [TestCaseSource(nameof(Heavy))]
    public async Task A_heavy_query_is_answered_in_time_or_refused(JsonObject data)
    {
        var (r, elapsed) = await TimedSearchAsync(data);
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.Conflict), r.Body);
        if (r.Status == HttpStatusCode.Conflict) Assert.That(r.ErrorType, Is.EqualTo("Search Error"));
        Assert.That(elapsed, Is.LessThan(Bound));
    }

    private static IEnumerable<TestCaseData> Refused()
    {
        TestCaseData Case(string name, JsonObject data, string message) => new TestCaseData(data, message).SetName($"Refused: {name}");
        yield return Case("q of 1001 characters", Q(new string('避', 1001)), "q) is too long");
        yield return Case("an fq of 2001 characters", new JsonObject { ["fq"] = "name:" + new string('a', 1996) }, "filter (fq) is too long");
        yield return Case("filters of 11400 characters", Fq([.. Enumerable.Repeat("name:" + new string('a', 1895), 6)]), "too long: at most 10000 characters together");
        yield return Case("101 filters", Fq([.. Enumerable.Repeat("name:x", 101)]), "Too many filters");
        yield return Case("eleven levels of parentheses", Q(new string('(', 11) + "name:x" + new string(')', 11)), "nested too deeply");
        yield return Case("eleven levels in a filter", Fq(new string('(', 11) + "name:x" + new string(')', 11)), "nested too deeply");
        yield return Case("a regular expression", Q("notes:/.*a.{20}/"), "Regular expressions are not supported");
        yield return Case("a regular expression in a filter", Fq("name:/heavy-0[0-9]+/"), "Regular expressions are not supported");
        yield return Case("five wildcards", Q("text:*a?b?c?d*"), "too many wildcards");
        yield return Case("a star followed by many single-character wildcards", Q("text:*a?????????????????"), "too many wildcards");
        yield return Case("a pattern of 257 characters", Q("text:*" + new string('a', 256)), "pattern is too long");
        yield return Case("a fuzzy term of 65 characters", Q("text:" + new string('a', 65) + "~2"), "fuzzy term (~) is too long");
        yield return Case("start beyond 100000", Q("*:*", new { start = 100_001 }), "start is too large");
        yield return Case("21 facet fields", Q("*:*").WithFacets(21), "Too many facet fields");
        yield return Case("21 query fields", Q("避難所", new { qf = string.Join(" ", Enumerable.Range(0, 21).Select(i => $"f{i}")) }), "Too many query fields");
        yield return Case("a long mm", Q("避難所 公園", new { mm = new string('1', 501) }), "mm is too long");
    }

    [TestCaseSource(nameof(Refused))]
    public async Task A_query_beyond_a_limit_is_a_search_error(JsonObject data, string message)
    {
        var (r, elapsed) = await TimedSearchAsync(data);
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(r.ErrorType, Is.EqualTo("Search Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Does.StartWith("Search error: ").And.Contain(message));
        Assert.That(elapsed, Is.LessThan(Bound));
    }

    [Test]
    public async Task Questions_in_japanese_are_searched_as_before()
    {
        var (question, elapsed) = await TimedSearchAsync(Q("図書館の開館時間を知りたいのですが、どこで調べればよいですか"));
        Assert.That(question.Ok()!["count"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(0), "searched, not refused");
        Assert.That(elapsed, Is.LessThan(Bound));

        var (shorter, _) = await TimedSearchAsync(Q("図書館の休館日"));
        Assert.That(shorter.Ok()!["results"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()), Does.Contain("heavy-000"));
    }

    [Test]
    public async Task Trailing_wildcards_existence_and_fuzzy_forms_still_work()
    {
        async Task<int> Count(JsonObject data) => (await TimedSearchAsync(data)).Response.Ok()!["count"]!.GetValue<int>();
        Assert.That(await Count(Q("res_format:*")), Is.EqualTo(Datasets));
        Assert.That(await Count(Fq("res_format:*")), Is.EqualTo(Datasets));
        Assert.That(await Count(Q("name:heavy-01*")), Is.EqualTo(10));
        Assert.That(await Count(Q("notes:*")), Is.EqualTo(Datasets));
        Assert.That(await Count(Q("name:heavy-00?")), Is.EqualTo(10));
        Assert.That(await Count(Q("name:*-299")), Is.EqualTo(1), "a leading wildcard on a small field");
        Assert.That(await Count(Q("name:heavy-001~1")), Is.GreaterThanOrEqualTo(10), "one edit away: heavy-00x, heavy-011 …");
        Assert.That(await Count(Q("notes:開館時間 AND notes:休館*")), Is.EqualTo(1));
        Assert.That(await Count(Q(new string('(', 10) + "name:heavy-000" + new string(')', 10))), Is.EqualTo(1));
    }

    [Test]
    public async Task Rows_are_capped_silently()
    {
        var r = (await TimedSearchAsync(Q("*:*", new { rows = 5000 }))).Response.Ok()!;
        Assert.That(r["results"]!.AsArray(), Has.Count.EqualTo(Datasets), "all of them, under the cap of 1000");
    }

    [TestCase(-1, 1000)]
    [TestCase(5000, 1000)]
    [TestCase(1000, 1000)]
    [TestCase(3, 3)]
    public void Facet_values_are_capped_silently(int asked, int kept) =>
        Assert.That(PackageSearchParameters.Read(new JsonObject { ["facet.limit"] = asked }).Request.FacetLimit, Is.EqualTo(kept));
}

internal static class SearchDataExtensions
{
    /// <summary>The request with <c>facet.field</c> listing <paramref name="count"/> fields (the usual ones, then made-up ones).</summary>
    public static JsonObject WithFacets(this JsonObject data, int count, int? limit = null)
    {
        string[] usual = ["organization", "groups", "tags", "res_format", "license_id"];
        data["facet.field"] = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode?)(i < usual.Length ? usual[i] : $"extra_{i}")).ToArray());
        if (limit is not null) data["facet.limit"] = limit;
        return data;
    }
}
