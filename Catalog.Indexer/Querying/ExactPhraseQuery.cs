using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// A <see cref="PhraseQuery"/> that, exact (slop 0), matches and scores as Lucene's does (the similarity over the
/// phrase's term statistics, its frequency the number of places where all its terms line up), with a scorer that lines
/// positions up in one small buffer. Lucene 4.8's ExactPhraseScorer allocates two 4,096-int arrays (32 KiB) per phrase
/// and segment; a free-text search asks one bigram phrase per word and field, so those arrays were most of what a
/// search allocated (681 KiB a request at one segment, 1,953 KiB at five), and grew with the segments.
/// </summary>
public sealed class ExactPhraseQuery : PhraseQuery
{
    public override Weight CreateWeight(IndexSearcher searcher) => Slop == 0 ? new ExactWeight(this, searcher) : base.CreateWeight(searcher);

    private sealed class ExactWeight : Weight
    {
        private readonly ExactPhraseQuery _query;
        private readonly Term[] _terms;
        private readonly int[] _positions;
        private readonly Similarity _similarity;
        private readonly Similarity.SimWeight _stats;
        private readonly TermContext[] _states;

        public ExactWeight(ExactPhraseQuery query, IndexSearcher searcher)
        {
            _query = query;
            _terms = query.GetTerms();
            _positions = query.GetPositions();
            _similarity = searcher.Similarity;
            _states = new TermContext[_terms.Length];
            var termStats = new TermStatistics[_terms.Length];
            for (var i = 0; i < _terms.Length; i++)
            {
                _states[i] = TermStatesSearcher.StatesFor(searcher, _terms[i]);
                termStats[i] = searcher.TermStatistics(_terms[i], _states[i]);
            }
            _stats = _similarity.ComputeWeight(query.Boost, searcher.CollectionStatistics(_terms[0].Field), termStats);
        }

        public override Query Query => _query;

        public override float GetValueForNormalization() => _stats.GetValueForNormalization();

        public override void Normalize(float queryNorm, float topLevelBoost) => _stats.Normalize(queryNorm, topLevelBoost);

        public override Scorer? GetScorer(AtomicReaderContext context, IBits acceptDocs)
        {
            if (context.AtomicReader.GetTerms(_terms[0].Field) is not { } fieldTerms) return null;
            var termsEnum = fieldTerms.GetEnumerator();
            var postings = new (DocsAndPositionsEnum Enum, int DocFreq, int Position)[_terms.Length];
            for (var i = 0; i < _terms.Length; i++)
            {
                // A term missing from the segment: the phrase cannot occur in it.
                if (_states[i].Get(context.Ord) is not { } state) return null;
                termsEnum.SeekExact(_terms[i].Bytes, state);
                var positions = termsEnum.DocsAndPositions(acceptDocs, null, DocsAndPositionsFlags.NONE)
                    ?? throw new InvalidOperationException($"Field {_terms[i].Field} was indexed without positions: no phrase can be searched in it");
                postings[i] = (positions, termsEnum.DocFreq, _positions[i]);
            }
            // The rarest term leads, as in Lucene's scorer: the others are only advanced to its documents.
            Array.Sort(postings, (a, b) => a.DocFreq != b.DocFreq ? a.DocFreq.CompareTo(b.DocFreq) : a.Position.CompareTo(b.Position));
            return new ExactScorer(this, postings, _similarity.GetSimScorer(_stats, context));
        }

        public override Explanation Explain(AtomicReaderContext context, int doc)
        {
            if (GetScorer(context, context.AtomicReader.LiveDocs) is { } scorer && scorer.Advance(doc) == doc)
            {
                var freq = scorer.Freq;
                var score = _similarity.GetSimScorer(_stats, context).Explain(doc, new Explanation(freq, "phraseFreq=" + freq));
                var result = new ComplexExplanation { Description = $"weight({_query} in {doc}) [{_similarity.GetType().Name}], result of:" };
                result.AddDetail(score);
                result.Value = score.Value;
                result.Match = true;
                return result;
            }
            return new ComplexExplanation(false, 0f, "no matching term");
        }
    }

    private sealed class ExactScorer : Scorer
    {
        private readonly DocsAndPositionsEnum[] _enums;
        private readonly int[] _offsets;
        private readonly Similarity.SimScorer _docScorer;
        /// <summary>Where the phrase may start in the current document, narrowed term by term; reused from document to document.</summary>
        private int[] _starts = new int[16];
        private int _doc = -1;
        private int _freq;

        public ExactScorer(Weight weight, (DocsAndPositionsEnum Enum, int DocFreq, int Position)[] postings, Similarity.SimScorer docScorer)
            : base(weight)
        {
            _enums = new DocsAndPositionsEnum[postings.Length];
            _offsets = new int[postings.Length];
            for (var i = 0; i < postings.Length; i++) (_enums[i], _offsets[i]) = (postings[i].Enum, postings[i].Position);
            _docScorer = docScorer;
        }

        public override int DocID => _doc;

        public override int Freq => _freq;

        public override float GetScore() => _docScorer.Score(_doc, _freq);

        public override long GetCost() => _enums[0].GetCost();

        public override int NextDoc() => Next(_enums[0].NextDoc());

        public override int Advance(int target) => Next(_enums[0].Advance(target));

        /// <summary>From the lead's document <paramref name="doc"/> on, the first document holding every term in the phrase's order.</summary>
        private int Next(int doc)
        {
            while (doc != NO_MORE_DOCS)
            {
                var aligned = true;
                for (var i = 1; i < _enums.Length; i++)
                {
                    var other = _enums[i].DocID;
                    if (other < doc) other = _enums[i].Advance(doc);
                    if (other == doc) continue;
                    aligned = false;
                    doc = other == NO_MORE_DOCS ? NO_MORE_DOCS : _enums[0].Advance(other);
                    break;
                }
                if (!aligned) continue;
                if ((_freq = PhraseFreq()) > 0) return _doc = doc;
                doc = _enums[0].NextDoc();
            }
            _freq = 0;
            return _doc = NO_MORE_DOCS;
        }

        /// <summary>The places in the current document where every term stands at its offset from the phrase's start.</summary>
        private int PhraseFreq()
        {
            var lead = _enums[0];
            var count = 0;
            for (var left = lead.Freq; left > 0; left--)
            {
                var start = lead.NextPosition() - _offsets[0];
                // Two tokens at one position (a term repeated there) are one place, as in Lucene's scorer.
                if (count > 0 && _starts[count - 1] == start) continue;
                if (count == _starts.Length) Array.Resize(ref _starts, count * 2);
                _starts[count++] = start;
            }
            for (var t = 1; t < _enums.Length && count > 0; t++)
            {
                var positions = _enums[t];
                var offset = _offsets[t];
                var left = positions.Freq;
                var at = int.MinValue;
                var kept = 0;
                for (var k = 0; k < count; k++)
                {
                    var start = _starts[k];
                    while (at < start && left > 0)
                    {
                        at = positions.NextPosition() - offset;
                        left--;
                    }
                    if (at == start) _starts[kept++] = start;
                    else if (at < start) break;
                }
                count = kept;
            }
            return count;
        }
    }
}
