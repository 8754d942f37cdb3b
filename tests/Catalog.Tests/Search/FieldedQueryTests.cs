using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Indexer;
using Catalog.Indexer.Querying;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Catalog.Tests.Search;

/// <summary>
/// Notes, resource names and descriptions, author and maintainer are indexed in fields of their own and in <c>text</c>:
/// a query on one of them matches its own text and nothing else of the dataset, and scores with its field's statistics.
/// </summary>
public sealed class FieldedQueryTests
{
    private IndexHarness _h = null!;

    private static JsonObject Dataset(string name, string title, string? notes = null, string? author = null, string? maintainer = null,
        params (string Name, string? Description)[] resources)
    {
        var d = IndexHarness.Dataset(name, title, notes);
        d["author"] = author;
        d["maintainer"] = maintainer;
        d["resources"] = new JsonArray(resources.Select(r => (JsonNode?)new JsonObject
        {
            ["name"] = r.Name, ["description"] = r.Description, ["format"] = "CSV", ["url"] = $"http://example.lg.jp/{name}.csv",
        }).ToArray());
        return d;
    }

    [OneTimeSetUp]
    public void Fill()
    {
        _h = new IndexHarness();
        // Each its own segment: the pattern queries collect their matches segment by segment.
        _h.CommitEachAsItsOwnSegment(
            Dataset("in-title", "避難所一覧", notes: "公園の情報", author: "防災課", maintainer: "公園課"),
            Dataset("in-notes", "公園一覧", notes: "避難所の場所と park information", author: "危機管理課", maintainer: "防災課"),
            Dataset("in-resources", "施設一覧", notes: null, author: null, maintainer: null,
                ("避難所データ", "指定避難所の一覧"), ("公園データ", null)),
            // 避難 ends the title and 所 starts the notes; 避難 ends one resource name and 所 starts the next.
            Dataset("across-values", "防災と避難", notes: "所在地の一覧", author: null, maintainer: null,
                ("避難", null), ("所在地", "公園の所在地")));
    }

    [OneTimeTearDown]
    public void Drop() => _h.Dispose();

    [Test]
    public void A_fielded_query_matches_only_that_fields_text()
    {
        Assert.That(_h.Names("notes:避難"), Is.EqualTo(new[] { "in-notes" }));
        Assert.That(_h.Names("title:避難"), Is.EquivalentTo(new[] { "in-title", "across-values" }));
        Assert.That(_h.Names("text:避難所"), Is.EquivalentTo(new[] { "in-title", "in-notes", "in-resources" }));
        Assert.That(_h.Names("author:防災"), Is.EqualTo(new[] { "in-title" }));
        Assert.That(_h.Names("maintainer:防災"), Is.EqualTo(new[] { "in-notes" }));
        Assert.That(_h.Names("author:危機管理"), Is.EqualTo(new[] { "in-notes" }));
        Assert.That(_h.Names("res_name:避難所"), Is.EqualTo(new[] { "in-resources" }));
        Assert.That(_h.Names("res_description:指定"), Is.EqualTo(new[] { "in-resources" }));
        Assert.That(_h.Names("res_description:避難所 AND notes:公園"), Is.Empty);
        Assert.That(_h.Names("notes:park"), Is.EqualTo(new[] { "in-notes" }), "Latin words too");
        Assert.That(_h.Names("notes:公園 -author:防災"), Is.Empty);
        Assert.That(_h.Names("notes:公園 OR res_description:公園"), Is.EquivalentTo(new[] { "in-title", "across-values" }));
    }

    [Test]
    public void A_phrase_never_spans_two_values_or_two_fields()
    {
        Assert.That(_h.Names("res_name:避難所"), Does.Not.Contain("across-values"), "避難 | 所在地: two resource names");
        Assert.That(_h.Names("notes:避難所"), Does.Not.Contain("across-values"), "避難 ends the title, 所 starts the notes");
        Assert.That(_h.Names("text:避難所"), Does.Not.Contain("across-values"));
        Assert.That(_h.Names("notes:\"避難所 場所\""), Is.Empty, "an exact phrase needs its words side by side");
        Assert.That(_h.Names("notes:\"避難所 場所\"~3"), Is.EqualTo(new[] { "in-notes" }), "within the slop");
    }

    [Test]
    public void Patterns_ranges_and_fuzzy_forms_stay_within_the_field()
    {
        Assert.That(_h.Names("notes:避*"), Is.EqualTo(new[] { "in-notes" }));
        Assert.That(_h.Names("res_name:*難"), Is.EquivalentTo(new[] { "in-resources", "across-values" }));
        Assert.That(_h.Names("notes:pork~1"), Is.EqualTo(new[] { "in-notes" }));
        Assert.That(_h.Names("notes:[pa TO pz]"), Is.EqualTo(new[] { "in-notes" }));
        Assert.That(_h.Names("author:防*"), Is.EqualTo(new[] { "in-title" }));
        // Lucene 4.8 builds a regular expression's automaton with no bound on its size: refused rather than run.
        Assert.That(() => _h.Names("notes:/避難.*/"), Throws.InstanceOf<SearchException>().With.Message.Contains("Regular expressions"));
        Assert.That(_h.Names("notes:\"\""), Is.Empty, "an empty phrase matches nothing, and fails nothing");
        Assert.That(_h.Names("notes:\"公園 場所\"~1"), Is.Empty, "words swapped cost a slop of 2, as in a phrase");
        // As in Solr, words in reverse order cost their distance twice over.
        Assert.That(_h.Names("notes:\"場所 避難所\"~10"), Is.EqualTo(new[] { "in-notes" }));
    }

    [Test]
    public void A_fielded_query_scores_with_its_own_fields_statistics()
    {
        // short-notes: 図書館 in short notes, but a long title makes its text long; long-notes: the reverse.
        var longTitle = string.Join(" ", Enumerable.Range(0, 40).Select(i => $"項目{i}"));
        var longNotes = "図書館 " + string.Join(" ", Enumerable.Range(0, 20).Select(i => $"説明{i}"));
        using var h = new IndexHarness(
        [
            IndexHarness.Dataset("short-notes", longTitle, notes: "市立図書館"),
            IndexHarness.Dataset("long-notes", "一覧", notes: longNotes),
            IndexHarness.Dataset("other", "公園一覧", notes: "公園の場所"),
        ]);
        Assert.That(h.Names("notes:図書館"), Is.EqualTo(new[] { "short-notes", "long-notes" }), "the shorter notes rank first");
        Assert.That(h.Names("text:図書館"), Is.EqualTo(new[] { "long-notes", "short-notes" }), "the shorter text ranks first");

        // The score is BM25 on the notes field: its own document frequency, lengths and average length.
        var request = new SearchRequest { Rows = 10, Visibility = SearchVisibility.Everything };
        var explained = h.Index.WithSearcher(searcher =>
        {
            var query = h.Searcher.MainQuery(request with { Q = "notes:図書館" });
            var top = searcher.Search(query, 10).ScoreDocs[0];
            return searcher.Explain(query, top.Doc).ToString();
        });
        Assert.That(explained, Does.Contain("weight(notes:"), "a query on the notes field");
        Assert.That(explained, Does.Not.Contain("text:"), "nothing of the catch-all field");
        Assert.That(explained, Does.Contain("docFreq=2").And.Contain("maxDocs=3"));
    }

    [Test]
    public void A_range_open_below_finds_only_the_fields_own_words() =>
        Assert.That(_h.Names("notes:[* TO j]"), Is.EqualTo(new[] { "in-notes" }), "information (and not park): only in-notes has Latin notes");

    [Test]
    public void A_field_with_any_value_is_matched_by_a_star()
    {
        Assert.That(_h.Names("notes:*"), Is.EquivalentTo(new[] { "in-title", "in-notes", "across-values" }));
        Assert.That(_h.Names("-notes:*"), Is.EqualTo(new[] { "in-resources" }));
        Assert.That(_h.Names("res_description:[* TO *]"), Is.EquivalentTo(new[] { "in-resources", "across-values" }));
        Assert.That(_h.Names("maintainer:*"), Is.EquivalentTo(new[] { "in-title", "in-notes" }));
    }

    [Test]
    public void Dismax_over_a_copied_field_searches_that_field()
    {
        var found = _h.Search(new SearchRequest { Q = "避難", Qf = "notes^2 res_name", Rows = 10, Visibility = SearchVisibility.Everything })
            .Results.Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.That(found, Is.EquivalentTo(new[] { "in-notes", "in-resources", "across-values" }));
    }

    [Test]
    public void Each_copied_field_has_its_own_terms_and_its_values_are_in_text_too()
    {
        var checkedDocs = _h.Index.WithSearcher(searcher =>
        {
            var count = 0;
            foreach (var leaf in searcher.IndexReader.Leaves)
            {
                var reader = leaf.AtomicReader;
                if (MultiDocValuesName(reader) != "in-notes") continue;
                // 避 starts the notes, 危 the author: each in its own field at its start, and in text.
                Assert.That(Positions(reader, "避", IndexFields.Notes), Is.EqualTo(new[] { 0 }));
                Assert.That(Positions(reader, "危", IndexFields.Author), Is.EqualTo(new[] { 0 }));
                Assert.That(Positions(reader, "避"), Has.Count.EqualTo(1));
                Assert.That(Positions(reader, "危"), Has.Count.EqualTo(1));
                Assert.That(Positions(reader, "避", IndexFields.Author), Is.Empty);
                count++;
            }
            return count;
        });
        Assert.That(checkedDocs, Is.EqualTo(1));
    }

    [Test]
    public void Notes_weigh_in_text_as_any_other_text()
    {
        using var plain = new IndexHarness([IndexHarness.Dataset("a", "公園一覧", notes: "公園の場所")]);
        var withNotes = IndexHarness.Dataset("a", "公園一覧");
        withNotes["title"] = "公園一覧 公園の場所";
        using var general = new IndexHarness([withNotes]);
        long Norm(IndexHarness h) => h.Index.WithSearcher(s => s.IndexReader.Leaves[0].AtomicReader.GetNormValues(IndexFields.Text).Get(0));
        Assert.That(Norm(plain), Is.EqualTo(Norm(general)), "the same words in the notes or in the title weigh alike in text");
    }

    private static string MultiDocValuesName(AtomicReader reader)
    {
        var names = reader.GetSortedDocValues(IndexFields.Name);
        var value = new Lucene.Net.Util.BytesRef();
        names.Get(0, value);
        return value.Utf8ToString();
    }

    private static List<int> Positions(AtomicReader reader, string term, string field = IndexFields.Text)
    {
        var positions = reader.GetTermPositionsEnum(new Term(field, term));
        var found = new List<int>();
        if (positions is null || positions.NextDoc() == DocIdSetIterator.NO_MORE_DOCS) return found;
        for (var i = 0; i < positions.Freq; i++) found.Add(positions.NextPosition());
        return found;
    }
}
