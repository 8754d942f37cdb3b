using System.Text.Json.Nodes;
using Catalog.Indexer;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;
using Lucene.Net.Search;

namespace Catalog.Tests.Search;

/// <summary>
/// CKAN's dismax fields all have their text in <c>text</c>, so free-text search walks <c>text</c> alone
/// (<see cref="DrivenDisjunctionMaxQuery"/>). It must find the same datasets with the same scores as Lucene's own
/// disjunction, over the relevance fixture and every relevance query.
/// </summary>
public sealed class DrivenDisjunctionMaxQueryTests
{
    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Search", "Fixtures", file);

    private IndexHarness _h = null!;
    private List<string> _queries = null!;
    private readonly DismaxQueryBuilder _builder = new(SearchVocabulary.LoadEmbedded());

    [OneTimeSetUp]
    public void Load()
    {
        var datasets = JsonNode.Parse(File.ReadAllText(Fixture("relevance-datasets.json")))!.AsArray().Select(d => d!.AsObject()).ToList();
        // Names with "_" are split by name_text but not inside text: text holds their split form too.
        datasets.Add(IndexHarness.Dataset("kanko_spot_list", "観光スポット", notes: "観光"));
        _h = new IndexHarness(datasets);
        _queries = JsonNode.Parse(File.ReadAllText(Fixture("relevance-queries.json")))!.AsArray()
            .Select(c => c!["q"]!.GetValue<string>())
            .Concat(["kanko", "spot list", "+避難 -津市", "\"公衆トイレ\"", "AED OR 図書館", "の"])
            .ToList();
    }

    [OneTimeTearDown]
    public void Drop() => _h.Dispose();

    [Test]
    public void Finds_the_same_datasets_with_the_same_scores_as_lucenes_disjunction()
    {
        var compared = 0;
        foreach (var q in _queries)
        {
            var driven = _builder.Build(q);
            Assert.That(Contains(driven, d => d is DrivenDisjunctionMaxQuery), Is.True, $"{q}: CKAN's fields are driven by text");
            var plain = Plain(driven);
            Assert.That(Contains(plain, d => d is DrivenDisjunctionMaxQuery), Is.False);

            var (drivenHits, plainHits) = _h.Index.WithSearcher(s => (Hits(s, driven), Hits(s, plain)));
            Assert.That(drivenHits.Keys, Is.EquivalentTo(plainHits.Keys), q);
            foreach (var (doc, score) in plainHits)
                Assert.That(drivenHits[doc], Is.EqualTo(score).Within(1e-5f), $"{q}: document {doc}");
            compared += plainHits.Count;
        }
        Assert.That(compared, Is.GreaterThan(300), "hundreds of matches compared");
        Assert.That(_h.Names("kanko"), Does.Contain("kanko_spot_list"));
    }

    [Test]
    public void Every_term_of_a_field_copied_into_text_is_in_text_for_the_same_dataset()
    {
        string[] copied = [IndexFields.NameText, IndexFields.Title, IndexFields.TagsText, IndexFields.GroupsText,
            IndexFields.Notes, IndexFields.ResName, IndexFields.ResDescription, IndexFields.Author, IndexFields.Maintainer];
        Assert.That(copied.All(IndexFields.IsCopiedIntoText), Is.True);
        var checkedTerms = _h.Index.WithSearcher(searcher =>
        {
            var count = 0;
            foreach (var leaf in searcher.IndexReader.Leaves)
            {
                var reader = leaf.AtomicReader;
                var text = reader.GetTerms(IndexFields.Text).GetEnumerator();
                foreach (var field in copied)
                {
                    var terms = reader.GetTerms(field)?.GetEnumerator();
                    if (terms is null) continue;
                    while (terms.MoveNext())
                    {
                        Assert.That(text.SeekExact(terms.Term), Is.True, $"{field}:{terms.Term.Utf8ToString()} is not in text at all");
                        var inText = text.Docs(null, null);
                        var inField = terms.Docs(null, null);
                        for (var doc = inField.NextDoc(); doc != Lucene.Net.Search.DocIdSetIterator.NO_MORE_DOCS; doc = inField.NextDoc())
                        {
                            var at = inText.DocID < doc ? inText.Advance(doc) : inText.DocID;
                            Assert.That(at, Is.EqualTo(doc), $"{field}:{terms.Term.Utf8ToString()} of document {doc} is not in its text");
                            count++;
                        }
                    }
                }
            }
            return count;
        });
        Assert.That(checkedTerms, Is.GreaterThan(5_000));
    }

    [Test]
    public void Fields_whose_text_is_not_all_in_text_get_lucenes_disjunction()
    {
        var custom = _builder.Build("避難", [(IndexFields.Title, 2f), (IndexFields.ResUrl, 1f), (IndexFields.Text, 1f)]);
        Assert.That(Contains(custom, d => d is DrivenDisjunctionMaxQuery), Is.False);
        var withoutText = _builder.Build("避難", [(IndexFields.Title, 2f), (IndexFields.Notes, 1f)]);
        Assert.That(Contains(withoutText, d => d is DrivenDisjunctionMaxQuery), Is.False);
    }

    private static Dictionary<int, float> Hits(IndexSearcher searcher, Query query) =>
        searcher.Search(query, Math.Max(1, searcher.IndexReader.MaxDoc)).ScoreDocs.ToDictionary(d => d.Doc, d => d.Score);

    private static bool Contains(Query query, Func<DisjunctionMaxQuery, bool> match) => query switch
    {
        DisjunctionMaxQuery d => match(d) || d.Disjuncts.Any(q => Contains(q, match)),
        BooleanQuery b => b.Clauses.Any(c => Contains(c.Query, match)),
        _ => false,
    };

    /// <summary>The same query with Lucene's own disjunction wherever a driven one stands.</summary>
    private static Query Plain(Query query)
    {
        switch (query)
        {
            case DrivenDisjunctionMaxQuery d:
                var plain = new DisjunctionMaxQuery(d.TieBreakerMultiplier) { Boost = d.Boost };
                foreach (var q in d.Disjuncts) plain.Add(Plain(q));
                return plain;
            case BooleanQuery b:
                var copy = new BooleanQuery(b.CoordDisabled) { Boost = b.Boost, MinimumNumberShouldMatch = b.MinimumNumberShouldMatch };
                foreach (var c in b.Clauses) copy.Add(Plain(c.Query), c.Occur);
                return copy;
            default:
                return query;
        }
    }
}
