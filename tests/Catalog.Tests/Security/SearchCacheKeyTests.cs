using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Indexer;
using Catalog.Indexer.Querying;
using Catalog.Tests.Search;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Catalog.Tests.Security;

/// <summary>
/// The caches of the search index are keyed by values, never by strings joined from what a client sent: whatever
/// characters a list item holds, a request cannot take the key of another one (and answer it with its own result).
/// </summary>
public sealed class SearchCacheKeyTests
{
    /// <summary>Characters a joined key could have used to separate items, and some that split lists elsewhere.</summary>
    private static readonly string[] Separators = ["\u001e", "\u001f", "\0", ",", "|", "\n", "\r\n", " ", "\t", ";", ":", "\u2028", "\\"];

    private static readonly SearchResult Answer = new(1, [JsonDocument.Parse("{}").RootElement], new Dictionary<string, IReadOnlyList<FacetValue>>());

    /// <summary>Two requests per list parameter: one item holding the separator, and the items it would separate.</summary>
    private static IEnumerable<TestCaseData> ListsThatJoinAlike()
    {
        var anonymous = new SearchRequest { Q = "避難所", Rows = 0 };
        foreach (var sep in Separators)
        {
            var name = Name(sep);
            yield return new TestCaseData(anonymous with { Filters = [$"organization:a{sep}tags:b"] }, anonymous with { Filters = ["organization:a", "tags:b"] })
                .SetName($"fq_list split by {name}");
            yield return new TestCaseData(anonymous with { Filters = [$"a{sep}", "b"] }, anonymous with { Filters = ["a", $"{sep}b"] })
                .SetName($"fq_list separator moved by {name}");
            yield return new TestCaseData(anonymous with { FacetFields = [$"owner_org{sep}groups"] }, anonymous with { FacetFields = ["owner_org", "groups"] })
                .SetName($"facet.field split by {name}");
            yield return new TestCaseData(anonymous with { FacetFields = [$"owner_org{sep}", "groups"] }, anonymous with { FacetFields = ["owner_org", $"{sep}groups"] })
                .SetName($"facet.field separator moved by {name}");
            yield return new TestCaseData(
                    anonymous with { Visibility = new SearchVisibility(false, [$"public{sep}member-x"], null, true, false) },
                    anonymous with { Visibility = new SearchVisibility(false, ["public", "member-x"], null, true, false) })
                .SetName($"labels split by {name}");
            yield return new TestCaseData(anonymous with { Q = $"a{sep}", Sort = "name asc" }, anonymous with { Q = "a", Sort = $"{sep}name asc" })
                .SetName($"q and sort split by {name}");
            yield return new TestCaseData(anonymous with { Filters = [$"x{sep}"], FacetFields = ["tags"] }, anonymous with { Filters = ["x"], FacetFields = [$"{sep}tags"] })
                .SetName($"fq_list and facet.field split by {name}");
            yield return new TestCaseData(
                    anonymous with { Visibility = new SearchVisibility(false, ["public"], $"u1{sep}", true, false) },
                    anonymous with { Visibility = new SearchVisibility(false, [$"{sep}public"], "u1", true, false) })
                .SetName($"user and labels split by {name}");
        }
    }

    [TestCaseSource(nameof(ListsThatJoinAlike))]
    public void Requests_differing_only_in_where_a_separator_stands_never_share_an_answer(SearchRequest one, SearchRequest other)
    {
        var cache = new SearchResultCache();
        var (keyOne, keyOther) = (cache.KeyFor(one)!, cache.KeyFor(other)!);
        Assert.That(keyOne, Is.Not.EqualTo(keyOther));

        using var reader = EmptyReader();
        cache.Add(reader, keyOne, Answer);
        Assert.That(cache.TryGet(reader, keyOther, out _), Is.False);
        Assert.That(cache.TryGet(reader, cache.KeyFor(one with { })!, out var again) && ReferenceEquals(again, Answer), "an equal request still shares it");
    }

    [Test]
    public void Equal_requests_built_apart_share_a_key()
    {
        var cache = new SearchResultCache();
        SearchRequest Build() => new()
        {
            Q = "図書館", Filters = ["organization:a", "tags:b"], FacetFields = ["tags", "res_format"],
            Visibility = new SearchVisibility(false, ["public", "creator-u1"], "u1", true, false),
        };
        Assert.That(cache.KeyFor(Build()), Is.EqualTo(cache.KeyFor(Build())));
        Assert.That(cache.KeyFor(Build())!.GetHashCode(), Is.EqualTo(cache.KeyFor(Build())!.GetHashCode()));
    }

    [TestCaseSource(nameof(SeparatorCases))]
    public void A_facet_field_holding_a_separator_gets_a_table_of_its_own(string sep)
    {
        using var h = new IndexHarness([IndexHarness.Dataset("a", "避難所一覧", tags: ["防災"], groups: ["bousai"])]);
        h.Index.WithSearcher(searcher =>
        {
            var segment = searcher.IndexReader.Leaves[0].AtomicReader;
            var tables = new FacetTables();
            var one = tables.For(segment, [$"{IndexFields.OwnerOrg}{sep}{IndexFields.GroupIds}"]);
            var two = tables.For(segment, [IndexFields.OwnerOrg, IndexFields.GroupIds]);
            Assert.That(two, Is.Not.SameAs(one));
            Assert.That(two.FieldStarts, Has.Length.EqualTo(3), "one start per field, and the end");
            Assert.That(two.Labels, Is.EquivalentTo(new[] { "id-pref-mie", "id-bousai" }));
            return 0;
        });
    }

    [TestCaseSource(nameof(SeparatorCases))]
    public void A_label_holding_a_separator_gets_a_visibility_filter_of_its_own(string sep)
    {
        using var h = new IndexHarness();
        var joined = h.Searcher.VisibilityFilter(new SearchVisibility(false, [$"public{sep}member-x"], null, true, false));
        var apart = h.Searcher.VisibilityFilter(new SearchVisibility(false, ["public", "member-x"], null, true, false));
        Assert.That(apart, Is.Not.SameAs(joined));
        Assert.That(h.Searcher.VisibilityFilter(new SearchVisibility(false, ["public", "member-x"], null, true, false)), Is.SameAs(apart));
    }

    /// <summary>Named by code point: a test name holding a control character is silently not run.</summary>
    private static IEnumerable<TestCaseData> SeparatorCases() =>
        Separators.Select(sep => new TestCaseData(sep).SetArgDisplayNames(Name(sep)));

    internal static string Name(string sep) => string.Join(" ", sep.Select(c => $"U+{(int)c:X4}"));

    private static DirectoryReader EmptyReader()
    {
        var directory = new RAMDirectory();
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, null))) writer.Commit();
        return DirectoryReader.Open(directory);
    }
}

/// <summary>
/// The poisoning this guards against, end to end: an anonymous search whose facet field holds a separator took the
/// cached facet count that package_count of organizations and groups is read from, and every organization showed 0
/// datasets until the next write.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class PackageCountPoisoningTests(TestStore store) : CatalogApiTests(store)
{
    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("poison-org", "伊勢市");
        await Fixtures.GroupAsync("poison-group", "防災");
        await Fixtures.DatasetAsync("poison-a", "poison-org", extra: new { groups = new[] { new { name = "poison-group" } } });
        await Fixtures.DatasetAsync("poison-b", "poison-org");
    }

    private async Task<(int Organization, int Group)> CountsAsync()
    {
        var orgs = (await Anon.GetAsync("organization_list", "all_fields=true")).Ok()!.AsArray();
        var groups = (await Anon.GetAsync("group_list", "all_fields=true")).Ok()!.AsArray();
        return (
            orgs.Single(o => o!["name"]!.GetValue<string>() == "poison-org")!["package_count"]!.GetValue<int>(),
            groups.Single(g => g!["name"]!.GetValue<string>() == "poison-group")!["package_count"]!.GetValue<int>());
    }

    // Code points: a test name holding a control character is silently not run.
    [TestCase(0x1e)]
    [TestCase(0x1f)]
    [TestCase((int)'\n')]
    [TestCase((int)',')]
    [TestCase(0)]
    public async Task A_facet_field_holding_a_separator_leaves_package_counts_alone(int codePoint)
    {
        var sep = char.ConvertFromUtf32(codePoint);
        Assert.That(await CountsAsync(), Is.EqualTo((2, 1)), "before");

        // A write: a new reader and a new segment, for which nothing is cached yet, so the search below comes first.
        await Admin.CallAsync("package_patch", new { id = "poison-b", notes = $"更新 {Guid.NewGuid():N}" });
        // As IndexPackageCounter asks: no rows, every value, private ones included (anonymous: none to include).
        var facetField = new JsonArray((JsonNode)$"owner_org{sep}group_ids").ToJsonString();
        var search = await Anon.GetAsync("package_search", $"facet.field={Uri.EscapeDataString(facetField)}&include_private=true&rows=0&facet.limit=-1");
        Assert.That(search.Status, Is.EqualTo(HttpStatusCode.OK), search.Body);
        Assert.That(search.Result!["facets"]!.AsObject().Single().Value!.AsObject(), Is.Empty, "no such field");

        Assert.That(await CountsAsync(), Is.EqualTo((2, 1)), "after");
    }
}
