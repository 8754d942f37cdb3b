using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Catalog.Indexer.Querying;

/// <summary>
/// One search's term lookups: each term's per-segment state (what <see cref="TermContext.Build"/> finds), looked up
/// with one terms enumeration per segment and field, reused for every term of the search, and each term looked up once
/// however many queries of the search name it (the strict query, the relaxed one, the counts behind "did you mean").
/// Lucene's own lookup opens a new enumeration (its block frames, arcs and buffers, a few KiB) for every term, field
/// and segment; a free-text search names a hundred or more terms, so every small segment a write left behind cost
/// ~300 KiB a request, most of it for terms the segment does not hold. Used by one search on one thread.
/// </summary>
public sealed class TermStates(IndexReaderContext top)
{
    private readonly Dictionary<Term, TermContext> _byTerm = [];
    private readonly Dictionary<(int Leaf, string Field), TermsEnum?> _enums = [];

    public IndexReaderContext Top => top;

    public TermContext For(Term term)
    {
        if (_byTerm.TryGetValue(term, out var known)) return known;
        var states = new TermContext(top);
        foreach (var leaf in top.Leaves)
        {
            if (Enumeration(leaf, term.Field) is not { } terms || !terms.SeekExact(term.Bytes)) continue;
            // A copy: the enumeration's own state moves on with its next seek.
            states.Register(terms.GetTermState(), leaf.Ord, terms.DocFreq, terms.TotalTermFreq);
        }
        return _byTerm[term] = states;
    }

    private TermsEnum? Enumeration(AtomicReaderContext leaf, string field)
    {
        if (_enums.TryGetValue((leaf.Ord, field), out var terms)) return terms;
        return _enums[(leaf.Ord, field)] = leaf.AtomicReader.GetTerms(field)?.GetEnumerator();
    }
}

/// <summary>
/// The searcher of one search: the index's searcher with the search's <see cref="TermStates"/>, which
/// <see cref="SharedTermQuery"/> and <see cref="ExactPhraseQuery"/> take their term states from, and each field's
/// collection statistics worked out once (over several segments Lucene merges the fields' statistics anew per term).
/// Cheap to make: it shares the reader and its contexts.
/// </summary>
public sealed class TermStatesSearcher : IndexSearcher
{
    private readonly Dictionary<string, CollectionStatistics> _collections = new(StringComparer.Ordinal);

    public TermStatesSearcher(IndexSearcher searcher) : base(searcher.TopReaderContext)
    {
        Similarity = searcher.Similarity;
        States = new TermStates(TopReaderContext);
    }

    public TermStates States { get; }

    public override CollectionStatistics CollectionStatistics(string field)
    {
        if (_collections.TryGetValue(field, out var known)) return known;
        return _collections[field] = base.CollectionStatistics(field);
    }

    /// <summary>A term's states from the search's <see cref="TermStates"/> when searched by one, else looked up by Lucene.</summary>
    public static TermContext StatesFor(IndexSearcher searcher, Term term) =>
        searcher is TermStatesSearcher shared ? shared.States.For(term) : TermContext.Build(searcher.TopReaderContext, term);
}

/// <summary>A <see cref="TermQuery"/> whose term states come from the search's <see cref="TermStates"/>.</summary>
public sealed class SharedTermQuery(Term term) : TermQuery(term)
{
    public override Weight CreateWeight(IndexSearcher searcher) =>
        searcher is TermStatesSearcher shared
            ? new TermQuery(Term, shared.States.For(Term)) { Boost = Boost }.CreateWeight(searcher)
            : base.CreateWeight(searcher);
}
