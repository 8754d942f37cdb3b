using System.Text.Json.Nodes;
using Catalog.Indexer;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Catalog.Tests.Search;

/// <summary>
/// A search looks its terms up once, one terms enumeration per segment and field (<see cref="TermStates"/>): each term's
/// states must be what Lucene's own lookup finds, whatever the order of the terms, and every free-text query must find
/// and score the same documents through the search's <see cref="TermStatesSearcher"/> as through the index's searcher.
/// </summary>
public sealed class TermStatesTests
{
    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Search", "Fixtures", file);

    private static IndexHarness SeveralSegments()
    {
        var datasets = JsonNode.Parse(File.ReadAllText(Fixture("relevance-datasets.json")))!.AsArray().Select(d => d!.AsObject()).ToList();
        var h = new IndexHarness(datasets.Take(datasets.Count / 2));
        // The rest one segment each (the harness holds merges off): most terms are missing from most of them, as in
        // the small segments writes leave.
        h.CommitEachAsItsOwnSegment([.. datasets.Skip(datasets.Count / 2).Take(6)]);
        Assert.That(h.Index.SegmentCount, Is.GreaterThan(4));
        return h;
    }

    [Test]
    public void Each_terms_states_are_what_lucenes_lookup_finds_in_every_segment()
    {
        using var h = SeveralSegments();
        var builder = new DismaxQueryBuilder(SearchVocabulary.LoadEmbedded());
        var queries = JsonNode.Parse(File.ReadAllText(Fixture("relevance-queries.json")))!.AsArray().Select(c => c!["q"]!.GetValue<string>());
        var terms = queries.SelectMany(q => Terms(builder.Build(q))).Distinct().ToList();
        // Backwards and across fields too: the shared enumerations seek from wherever the last term left them.
        terms.AddRange([.. Enumerable.Reverse(terms)]);
        terms.Add(new Term(IndexFields.Text, "存在しない語"));
        terms.Add(new Term("no_such_field", "x"));
        Assert.That(terms.Select(t => t.Field).Distinct().Count(), Is.GreaterThan(3));

        var present = h.Index.WithSearcher(searcher =>
        {
            var states = new TermStates(searcher.TopReaderContext);
            var found = 0;
            foreach (var term in terms)
            {
                var (ours, lucene) = (states.For(term), TermContext.Build(searcher.TopReaderContext, term));
                Assert.That((ours.DocFreq, ours.TotalTermFreq), Is.EqualTo((lucene.DocFreq, lucene.TotalTermFreq)), term.ToString());
                foreach (var leaf in searcher.TopReaderContext.Leaves)
                {
                    var (mine, theirs) = (ours.Get(leaf.Ord), lucene.Get(leaf.Ord));
                    Assert.That(mine is null, Is.EqualTo(theirs is null), $"{term} in segment {leaf.Ord}");
                    if (mine is null) continue;
                    found++;
                    // The state leads to the same postings: the same documents.
                    Assert.That(Docs(leaf, term, mine), Is.EqualTo(Docs(leaf, term, theirs!)), $"{term} in segment {leaf.Ord}");
                }
            }
            return found;
        });
        Assert.That(present, Is.GreaterThan(200), "terms found in segments, compared");
    }

    [Test]
    public void Every_relevance_query_finds_and_scores_the_same_through_the_searchs_own_searcher()
    {
        using var h = SeveralSegments();
        var builder = new DismaxQueryBuilder(SearchVocabulary.LoadEmbedded());
        var queries = JsonNode.Parse(File.ReadAllText(Fixture("relevance-queries.json")))!.AsArray().Select(c => c!["q"]!.GetValue<string>()).ToList();
        Assert.That(queries, Has.Count.GreaterThan(20));
        var compared = h.Index.WithSearcher(searcher =>
        {
            var shared = new TermStatesSearcher(searcher);
            var hits = 0;
            foreach (var q in queries)
            {
                var query = builder.Build(q);
                // Twice through the same search: the second time every state comes from what the first looked up.
                for (var pass = 0; pass < 2; pass++)
                {
                    var (ours, lucene) = (Hits(shared, query), Hits(searcher, query));
                    Assert.That(ours.Keys, Is.EquivalentTo(lucene.Keys), q);
                    foreach (var (doc, score) in lucene) Assert.That(ours[doc], Is.EqualTo(score).Within(1e-5f), $"{q}: document {doc}");
                    // Explained as scored.
                    foreach (var (doc, score) in lucene.Take(2))
                        Assert.That(shared.Explain(query, doc).Value, Is.EqualTo(score).Within(1e-4f), $"{q}: explanation of document {doc}");
                    hits += lucene.Count;
                }
            }
            return hits;
        });
        Assert.That(compared, Is.GreaterThan(150), "a hundred and more hits compared, twice");
    }

    private static List<int> Docs(AtomicReaderContext leaf, Term term, TermState state)
    {
        var terms = leaf.AtomicReader.GetTerms(term.Field)!.GetEnumerator();
        terms.SeekExact(term.Bytes, state);
        var docs = terms.Docs(null, null);
        var found = new List<int>();
        for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc()) found.Add(doc);
        return found;
    }

    private static Dictionary<int, float> Hits(IndexSearcher searcher, Query query) =>
        searcher.Search(query, Math.Max(1, searcher.IndexReader.MaxDoc)).ScoreDocs.ToDictionary(d => d.Doc, d => d.Score);

    private static IEnumerable<Term> Terms(Query query) => query switch
    {
        TermQuery t => [t.Term],
        PhraseQuery p => p.GetTerms(),
        DisjunctionMaxQuery d => d.Disjuncts.SelectMany(Terms),
        BooleanQuery b => b.Clauses.SelectMany(c => Terms(c.Query)),
        _ => [],
    };
}
