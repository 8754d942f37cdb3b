using System.Text.Json.Nodes;
using Catalog.Indexer;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Catalog.Tests.Search;

/// <summary>
/// Free-text words search their bigrams as <see cref="ExactPhraseQuery"/>: it must find the same documents with the
/// same scores as Lucene's <see cref="PhraseQuery"/>, over the relevance fixture (several segments, the queries' own
/// phrases) and over an index made to hit the edge cases (repeated terms, holes between positions, deleted documents).
/// </summary>
public sealed class ExactPhraseQueryTests
{
    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Search", "Fixtures", file);

    [Test]
    public void Every_phrase_of_the_relevance_queries_matches_and_scores_as_lucenes_phrase()
    {
        var datasets = JsonNode.Parse(File.ReadAllText(Fixture("relevance-datasets.json")))!.AsArray().Select(d => d!.AsObject()).ToList();
        using var h = new IndexHarness(datasets.Take(datasets.Count / 2));
        // The rest one segment each: a phrase is scored per segment, with statistics over the whole index.
        h.CommitEachAsItsOwnSegment([.. datasets.Skip(datasets.Count / 2).Take(6)]);
        var builder = new DismaxQueryBuilder(SearchVocabulary.LoadEmbedded());
        var queries = JsonNode.Parse(File.ReadAllText(Fixture("relevance-queries.json")))!.AsArray().Select(c => c!["q"]!.GetValue<string>());
        var phrases = queries.SelectMany(q => Phrases(builder.Build(q))).ToList();
        Assert.That(h.Index.SegmentCount, Is.GreaterThan(1));
        Assert.That(phrases, Has.Count.GreaterThan(50));

        var compared = h.Index.WithSearcher(searcher => phrases.Sum(p => Compare(searcher, p)));
        Assert.That(compared, Is.GreaterThan(300), "hundreds of matches compared");
    }

    [Test]
    public void Repeated_terms_holes_and_deleted_documents_count_as_in_lucenes_phrase()
    {
        using var directory = new RAMDirectory();
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))
        {
            Similarity = new BM25Similarity(),
            MergePolicy = NoMergePolicy.NO_COMPOUND_FILES,
        };
        string[] texts =
        [
            "a b c", "a b a b c", "c b a", "a a a a", "a x b", "b a b a b", "a b c a b c a b c", "x y z",
            "a b", "b c a b", "a a b b", "a", "q a b q a b",
        ];
        using (var writer = new IndexWriter(directory, config))
        {
            for (var i = 0; i < texts.Length; i++)
            {
                writer.AddDocument(new Document { new StringField("id", i.ToString(), Field.Store.NO), new TextField("f", texts[i], Field.Store.NO) });
                // Several segments, one with a deleted document in it.
                if (i % 4 == 3) writer.Commit();
            }
            writer.DeleteDocuments(new Term("id", "1"));
            writer.Commit();
        }
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        Assert.That(reader.Leaves, Has.Count.GreaterThan(2));

        (string Term, int Position)[][] phrases =
        [
            [("a", 0), ("b", 1)], [("a", 0), ("a", 1)], [("a", 0), ("b", 1), ("c", 2)], [("b", 0), ("a", 1), ("b", 2)],
            [("a", 0), ("b", 2)], [("a", 0), ("a", 2)], [("c", 0), ("a", 1)], [("b", 1), ("a", 0)], [("a", 0), ("z", 1)],
            [("q", 0), ("a", 1), ("b", 2), ("q", 3)], [("a", 0), ("a", 1), ("a", 2)],
        ];
        var compared = 0;
        foreach (var terms in phrases)
        {
            var exact = new ExactPhraseQuery { Boost = 2.5f };
            foreach (var (term, position) in terms) exact.Add(new Term("f", term), position);
            compared += Compare(searcher, exact);
        }
        Assert.That(compared, Is.GreaterThan(20));
        // The phrase "a a" stands at three places in "a a a a".
        var counted = new ExactPhraseQuery { new Term("f", "a"), new Term("f", "a") };
        Assert.That(searcher.Explain(counted, Doc(searcher, "3")).ToString(), Does.Contain("phraseFreq=3"));
    }

    /// <summary>The hits of <paramref name="exact"/> against Lucene's phrase of the same terms; returns how many were compared.</summary>
    private static int Compare(IndexSearcher searcher, ExactPhraseQuery exact)
    {
        var lucene = new PhraseQuery { Boost = exact.Boost };
        var positions = exact.GetPositions();
        var terms = exact.GetTerms();
        for (var i = 0; i < terms.Length; i++) lucene.Add(terms[i], positions[i]);
        var (ours, theirs) = (Hits(searcher, exact), Hits(searcher, lucene));
        Assert.That(ours.Keys, Is.EquivalentTo(theirs.Keys), exact.ToString());
        foreach (var (doc, score) in theirs)
            Assert.That(ours[doc], Is.EqualTo(score).Within(1e-6f), $"{exact}: document {doc}");
        return theirs.Count;
    }

    private static Dictionary<int, float> Hits(IndexSearcher searcher, Query query) =>
        searcher.Search(query, Math.Max(1, searcher.IndexReader.MaxDoc)).ScoreDocs.ToDictionary(d => d.Doc, d => d.Score);

    private static int Doc(IndexSearcher searcher, string id) => searcher.Search(new TermQuery(new Term("id", id)), 1).ScoreDocs.Single().Doc;

    private static IEnumerable<ExactPhraseQuery> Phrases(Query query) => query switch
    {
        ExactPhraseQuery p => [p],
        DisjunctionMaxQuery d => d.Disjuncts.SelectMany(Phrases),
        BooleanQuery b => b.Clauses.SelectMany(c => Phrases(c.Query)),
        _ => [],
    };
}
