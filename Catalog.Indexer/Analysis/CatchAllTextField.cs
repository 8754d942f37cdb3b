using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// A document's whole <c>text</c> field as one field instance: each value analysed as any <c>text</c> value is, the
/// general values first, then each sectioned field's values, its section's marker at the position of its first token
/// (<see cref="TextSections"/>). Values are <see cref="PositionGap"/> positions apart, as the values of a multi-valued
/// field, so a phrase never spans two of them.
/// </summary>
public sealed class CatchAllTextField : Field
{
    /// <summary>The same gap as between the values of any other multi-valued field (<see cref="JapaneseAnalyzer"/>).</summary>
    public const int PositionGap = 100;

    private readonly List<(int Section, string Value)> _values = [];

    [ThreadStatic] private static SectionedTokenStream? t_stream;

    public CatchAllTextField() : base(IndexFields.Text, "", TextField.TYPE_NOT_STORED)
    {
    }

    /// <summary>Adds a value of a field: to that field's section when it has one, else to the general part.</summary>
    public void Add(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        var section = TextSections.Of(field);
        // Kept in section order (stable within a section), as positions only grow.
        var at = _values.Count;
        while (at > 0 && _values[at - 1].Section > section) at--;
        _values.Insert(at, (section, value));
    }

    public bool IsEmpty => _values.Count == 0;

    /// <summary>
    /// A stream kept per thread: Lucene reads a field's stream to its end before it asks for the next field's, on the
    /// thread that adds the document.
    /// </summary>
    public override TokenStream GetTokenStream(Analyzer analyzer)
    {
        var stream = t_stream ??= new SectionedTokenStream();
        stream.Start(analyzer, _values);
        return stream;
    }

    private sealed class SectionedTokenStream : TokenStream
    {
        private readonly ICharTermAttribute _term;
        private readonly IPositionIncrementAttribute _increment;

        private Analyzer _analyzer = null!;
        private IReadOnlyList<(int Section, string Value)> _values = [];
        private int _next;
        private TokenStream? _value;
        private ICharTermAttribute? _valueTerm;
        private IPositionIncrementAttribute? _valueIncrement;
        private bool _firstOfValue;
        private bool _started;
        private int _section;
        private string? _marker;

        public SectionedTokenStream()
        {
            _term = AddAttribute<ICharTermAttribute>();
            _increment = AddAttribute<IPositionIncrementAttribute>();
        }

        public void Start(Analyzer analyzer, IReadOnlyList<(int Section, string Value)> values)
        {
            _analyzer = analyzer;
            _values = values;
        }

        public override void Reset()
        {
            base.Reset();
            CloseValue();
            _next = 0;
            _started = false;
            _section = 0;
            _marker = null;
        }

        public override bool IncrementToken()
        {
            if (_marker is { } marker)
            {
                // At the same position as the section's first token: an overlap, which the length used in scoring leaves out.
                _marker = null;
                ClearAttributes();
                _term.SetEmpty().Append(marker);
                _increment.PositionIncrement = 0;
                return true;
            }
            while (true)
            {
                if (_value is null && !OpenNextValue()) return false;
                if (!_value!.IncrementToken())
                {
                    CloseValue();
                    continue;
                }
                ClearAttributes();
                _term.CopyBuffer(_valueTerm!.Buffer, 0, _valueTerm.Length);
                var increment = _valueIncrement!.PositionIncrement;
                if (_firstOfValue)
                {
                    _firstOfValue = false;
                    increment = Math.Max(increment, 1) + (_started ? PositionGap : 0);
                    _started = true;
                    var section = _values[_next - 1].Section;
                    if (section != _section)
                    {
                        _section = section;
                        _marker = TextSections.Marker(section);
                    }
                }
                _increment.PositionIncrement = increment;
                return true;
            }
        }

        private bool OpenNextValue()
        {
            if (_next >= _values.Count) return false;
            var stream = _analyzer.GetTokenStream(IndexFields.Text, _values[_next++].Value);
            _valueTerm = stream.AddAttribute<ICharTermAttribute>();
            _valueIncrement = stream.AddAttribute<IPositionIncrementAttribute>();
            stream.Reset();
            _value = stream;
            _firstOfValue = true;
            return true;
        }

        private void CloseValue()
        {
            if (_value is null) return;
            var stream = _value;
            _value = null;
            try
            {
                stream.End();
            }
            finally
            {
                // The analyzer reuses the stream for the next value only once it is disposed.
                stream.Dispose();
            }
        }

        public override void End()
        {
            base.End();
            _increment.PositionIncrement = 0;
        }

        protected override void Dispose(bool disposing)
        {
            // Also after a failure half-way through a value, so the analyzer's stream can be used again.
            if (disposing)
            {
                CloseValue();
                _values = [];
            }
            base.Dispose(disposing);
        }
    }
}
