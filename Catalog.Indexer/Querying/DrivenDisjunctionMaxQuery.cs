using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// A <see cref="DisjunctionMaxQuery"/> whose matches are exactly those of one disjunct, the <paramref name="driver"/>,
/// because every other disjunct searches a field whose text is also in the driver's field (title, tags, groups and name
/// are all copied into <c>text</c>). Scores are the same as the plain query's (best disjunct plus
/// the tie-breaker × the others, same weights and normalisation); but where the plain query walks the union of
/// every disjunct's postings, this one walks the driver's alone and moves the others only to the documents that are
/// scored, which in a query of several words are just the documents matching all of them.
/// <paramref name="tieBreaker"/> weighs the disjuncts other than the best, as in <see cref="DisjunctionMaxQuery"/>.
/// </summary>
public sealed class DrivenDisjunctionMaxQuery(int driver, float tieBreaker) : DisjunctionMaxQuery(tieBreaker)
{
    public int Driver => driver;

    public override Weight CreateWeight(IndexSearcher searcher) => new DrivenWeight(this, searcher, driver, TieBreakerMultiplier);

    private sealed class DrivenWeight(DisjunctionMaxQuery query, IndexSearcher searcher, int driver, float tie)
        : DisjunctionMaxWeight(query, searcher)
    {
        public override Scorer? GetScorer(AtomicReaderContext context, IBits acceptDocs)
        {
            // No driver in this segment: nothing can match, since the other fields' text is all in the driver's.
            if (m_weights[driver].GetScorer(context, acceptDocs) is not { } lead) return null;
            return new DrivenScorer(this, lead, () =>
            {
                var others = new List<Scorer>(m_weights.Count - 1);
                for (var i = 0; i < m_weights.Count; i++)
                    if (i != driver && m_weights[i].GetScorer(context, acceptDocs) is { } other) others.Add(other);
                return [.. others];
            }, tie);
        }
    }

    /// <param name="scorers">
    /// The other disjuncts' scorers, made when a document is first scored: each holds a terms enumeration and postings
    /// buffers per term (a few KiB), and in most segments a word's driver matches nothing the query keeps (another word
    /// missing, or no document at all in a small segment), so they would be made for nothing.
    /// </param>
    private sealed class DrivenScorer(Weight weight, Scorer lead, Func<Scorer[]> scorers, float tie) : Scorer(weight)
    {
        private Scorer[]? _others;

        private Scorer[] Others => _others ??= scorers();

        public override int DocID => lead.DocID;

        public override int NextDoc() => lead.NextDoc();

        public override int Advance(int target) => lead.Advance(target);

        public override long GetCost() => lead.GetCost();

        public override float GetScore()
        {
            var doc = lead.DocID;
            var best = lead.GetScore();
            var sum = best;
            foreach (var other in Others)
            {
                if (other.DocID < doc) other.Advance(doc);
                if (other.DocID != doc) continue;
                var score = other.GetScore();
                sum += score;
                if (score > best) best = score;
            }
            return best + (sum - best) * tie;
        }

        public override int Freq
        {
            get
            {
                var doc = lead.DocID;
                var freq = lead.Freq;
                foreach (var other in Others)
                {
                    if (other.DocID < doc) other.Advance(doc);
                    if (other.DocID == doc) freq += other.Freq;
                }
                return freq;
            }
        }

        public override ICollection<ChildScorer> GetChildren() =>
            [new ChildScorer(lead, "SHOULD"), .. Others.Select(o => new ChildScorer(o, "SHOULD"))];
    }
}
