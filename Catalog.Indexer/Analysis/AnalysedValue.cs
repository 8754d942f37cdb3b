using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// A text value analysed once and replayed into several fields: most values are indexed both in their own field and
/// in the catch-all <c>text</c>, and analysing them once instead of twice is a good part of a rebuild's time. The
/// replay gives the indexer the same terms, position increments and offsets as analysing the value again would.
/// </summary>
public sealed class AnalysedValue
{
    // Terms side by side in one buffer: a string per token would cost more than it saves.
    private readonly List<(int At, int Length, int Increment, int Start, int End)> _tokens = [];
    private char[] _chars = new char[64];
    private int _used;
    private int _finalOffset;
    private int _finalIncrement;

    private AnalysedValue() { }

    public static AnalysedValue Of(Analyzer analyzer, string field, string value)
    {
        var analysed = new AnalysedValue();
        using var stream = analyzer.GetTokenStream(field, value);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            if (analysed._used + term.Length > analysed._chars.Length)
                Array.Resize(ref analysed._chars, Math.Max(analysed._chars.Length * 2, analysed._used + term.Length));
            Array.Copy(term.Buffer, 0, analysed._chars, analysed._used, term.Length);
            analysed._tokens.Add((analysed._used, term.Length, increment.PositionIncrement, offset.StartOffset, offset.EndOffset));
            analysed._used += term.Length;
        }
        stream.End();
        analysed._finalOffset = offset.EndOffset;
        analysed._finalIncrement = increment.PositionIncrement;
        return analysed;
    }

    /// <summary>A field indexing the value as it was analysed (not stored).</summary>
    public Field ToField(string name) => new ReplayField(name, this);

    /// <summary>
    /// Hands the indexer one replaying stream per thread, pointed at this value when asked: the indexer consumes a
    /// document's fields one after the other, and a stream of its own per value (attributes and all) would cost
    /// about as much as analysing again.
    /// </summary>
    private sealed class ReplayField(string name, AnalysedValue value) : Field(name, string.Empty, TextField.TYPE_NOT_STORED)
    {
        [ThreadStatic] private static Replay? _replay;

        public override TokenStream GetTokenStream(Analyzer analyzer)
        {
            var replay = _replay ??= new Replay();
            replay.Value = value;
            return replay;
        }
    }

    private sealed class Replay : TokenStream
    {
        public AnalysedValue Value { get; set; } = null!;
        private readonly ICharTermAttribute _term;
        private readonly IPositionIncrementAttribute _increment;
        private readonly IOffsetAttribute _offset;
        private int _next;

        public Replay()
        {
            _term = AddAttribute<ICharTermAttribute>();
            _increment = AddAttribute<IPositionIncrementAttribute>();
            _offset = AddAttribute<IOffsetAttribute>();
        }

        public override bool IncrementToken()
        {
            if (_next >= Value._tokens.Count) return false;
            ClearAttributes();
            var (at, length, increment, start, end) = Value._tokens[_next++];
            _term.CopyBuffer(Value._chars, at, length);
            _increment.PositionIncrement = increment;
            _offset.SetOffset(start, end);
            return true;
        }

        public override void End()
        {
            base.End();
            _offset.SetOffset(Value._finalOffset, Value._finalOffset);
            _increment.PositionIncrement = Value._finalIncrement;
        }

        public override void Reset()
        {
            base.Reset();
            _next = 0;
        }
    }
}
