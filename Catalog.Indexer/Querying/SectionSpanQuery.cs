using Lucene.Net.Index;
using Lucene.Net.Search.Spans;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// The spans of a query on <c>text</c> that lie wholly within one section of the document (<see cref="TextSections"/>),
/// scored as the query would score on <c>text</c> (each match of a word or exact phrase counts 1). Spans passed over
/// count against the search's <paramref name="budget"/>: a frequent word found mostly outside the section is walked
/// position by position with nothing collected meanwhile.
/// </summary>
public sealed class SectionSpanQuery(SpanQuery match, int section, SearchBudget? budget = null) : SpanPositionCheckQuery(match)
{
    public int Section => section;

    public override Spans GetSpans(AtomicReaderContext context, IBits acceptDocs, IDictionary<Term, TermContext> termContexts)
    {
        var spans = m_match.GetSpans(context, acceptDocs, termContexts);
        // A word missing from the segment needs no section bounds read.
        if (ReferenceEquals(spans, TermSpans.EMPTY_TERM_SPANS)) return spans;
        return SectionBounds.Of(context.AtomicReader, section) is { } bounds ? new WithinSection(spans, bounds, budget) : TermSpans.EMPTY_TERM_SPANS;
    }

    /// <summary>Never asked: <see cref="GetSpans"/> checks positions against each document's own bounds.</summary>
    protected override AcceptStatus AcceptPosition(Spans spans) => throw new NotSupportedException();

    public override string ToString(string field) =>
        $"section({TextSections.Fields[section - 1]}: {m_match.ToString(field)}){ToStringUtils.Boost(Boost)}";

    public override bool Equals(object? obj) =>
        obj is SectionSpanQuery other && other.Section == section && other.m_match.Equals(m_match) && other.Boost == Boost;

    public override int GetHashCode() => HashCode.Combine(m_match, section, Boost);

    private sealed class WithinSection(Spans spans, SectionBounds bounds, SearchBudget? budget) : Spans
    {
        private int _doc = -1;
        private bool _has;
        private int _start;
        private int _end;

        public override int Doc => spans.Doc;
        public override int Start => spans.Start;

        /// <summary>
        /// Zero width, so that Lucene's span scorer counts each match 1 (its sloppy frequency of the match's width)
        /// as a term or an exact phrase counts, rather than ½ for a word and 1/(n + 1) for a phrase of n words. Only the
        /// scorer reads it: this query is never nested in another span query.
        /// </summary>
        public override int End => spans.Start;
        public override bool IsPayloadAvailable => spans.IsPayloadAvailable;
        public override ICollection<byte[]> GetPayload() => spans.GetPayload();
        public override long GetCost() => spans.GetCost();

        public override bool MoveNext() => spans.MoveNext() && Accept();

        public override bool SkipTo(int target) => spans.SkipTo(target) && Accept();

        /// <summary>Moves on from the current span to the first within its document's section.</summary>
        private bool Accept()
        {
            while (true)
            {
                budget?.Step();
                var doc = spans.Doc;
                if (doc != _doc)
                {
                    _doc = doc;
                    _has = bounds.TryGet(doc, out _start, out _end);
                }
                if (!_has)
                {
                    if (!spans.SkipTo(doc + 1)) return false;
                    continue;
                }
                if (spans.Start >= _start && spans.End <= _end) return true;
                if (!spans.MoveNext()) return false;
            }
        }
    }
}
