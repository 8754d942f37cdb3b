using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// A document's whole <c>text</c> field as one field instance: each value analysed as any <c>text</c> value is, the
/// general values first, then each sectioned field's values (<see cref="TextSections"/>). Values are
/// <see cref="PositionGap"/> positions apart, as the values of a multi-valued field, so a phrase never spans two of
/// them. Where each section starts is recorded while <c>text</c> is inverted and indexed right after it by
/// <see cref="Markers"/>: Lucene inverts a document's fields in the order of their names, and
/// <see cref="IndexFields.Sections"/> sorts after <see cref="IndexFields.Text"/>.
/// </summary>
public sealed class CatchAllTextField : Field
{
    /// <summary>The same gap as between the values of any other multi-valued field (<see cref="JapaneseAnalyzer"/>).</summary>
    public const int PositionGap = 100;

    private static readonly FieldType MarkerType = Frozen(new FieldType
    {
        IsIndexed = true,
        IsTokenized = true,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS,
    });

    /// <summary>Values by section (0: the general part), each list in the order added.</summary>
    private readonly List<string>[] _values = new List<string>[TextSections.Fields.Count + 1];

    /// <summary>The position of each section's first token, in section order; filled while <c>text</c> is inverted.</summary>
    private readonly List<(int Section, int Position)> _starts = [];
    private bool _inverted;

    [ThreadStatic] private static SectionedTokenStream? t_text;
    [ThreadStatic] private static MarkerTokenStream? t_markers;

    public CatchAllTextField() : base(IndexFields.Text, "", TextField.TYPE_NOT_STORED)
    {
        Markers = new MarkersField(this);
    }

    /// <summary>The field that marks where each section of this <c>text</c> starts; add it to the document too.</summary>
    public Field Markers { get; }

    /// <summary>Adds a value of a field: to that field's section when it has one, else to the general part.</summary>
    public void Add(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        (_values[TextSections.Of(field)] ??= []).Add(value);
    }

    /// <summary>
    /// A stream kept per thread: Lucene reads a field's stream to its end before it asks for the next field's, on the
    /// thread that adds the document.
    /// </summary>
    public override TokenStream GetTokenStream(Analyzer analyzer)
    {
        _starts.Clear();
        _inverted = false;
        var stream = t_text ??= new SectionedTokenStream();
        stream.Start(analyzer, this);
        return stream;
    }

    private static FieldType Frozen(FieldType type)
    {
        type.Freeze();
        return type;
    }

    private sealed class MarkersField(CatchAllTextField text) : Field(IndexFields.Sections, "", MarkerType)
    {
        public override TokenStream GetTokenStream(Analyzer analyzer)
        {
            if (!text._inverted)
                throw new InvalidOperationException($"{IndexFields.Sections} must be inverted after {IndexFields.Text}");
            var stream = t_markers ??= new MarkerTokenStream();
            stream.Start(text._starts);
            return stream;
        }
    }

    /// <summary>A section's field name at the position where the section starts in <c>text</c>.</summary>
    private sealed class MarkerTokenStream : TokenStream
    {
        private readonly ICharTermAttribute _term;
        private readonly IPositionIncrementAttribute _increment;
        private IReadOnlyList<(int Section, int Position)> _starts = [];
        private int _next;
        private int _last;

        public MarkerTokenStream()
        {
            _term = AddAttribute<ICharTermAttribute>();
            _increment = AddAttribute<IPositionIncrementAttribute>();
        }

        public void Start(IReadOnlyList<(int Section, int Position)> starts) => _starts = starts;

        public override void Reset()
        {
            base.Reset();
            _next = 0;
            _last = -1;
        }

        public override bool IncrementToken()
        {
            if (_next >= _starts.Count) return false;
            var (section, position) = _starts[_next++];
            ClearAttributes();
            _term.SetEmpty().Append(TextSections.Fields[section - 1]);
            // Lucene places a token at the last position plus its increment (the first at its increment minus one).
            _increment.PositionIncrement = position - _last;
            _last = position;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _starts = [];
            base.Dispose(disposing);
        }
    }

    private sealed class SectionedTokenStream : TokenStream
    {
        private readonly ICharTermAttribute _term;
        private readonly IPositionIncrementAttribute _increment;

        private Analyzer _analyzer = null!;
        private CatchAllTextField? _field;
        private int _section;
        private int _next;
        private TokenStream? _value;
        private ICharTermAttribute? _valueTerm;
        private IPositionIncrementAttribute? _valueIncrement;
        private bool _firstOfValue;
        private bool _started;

        /// <summary>Position of the last token given to Lucene, as its inverter counts them (-1 before any).</summary>
        private int _position;

        public SectionedTokenStream()
        {
            _term = AddAttribute<ICharTermAttribute>();
            _increment = AddAttribute<IPositionIncrementAttribute>();
        }

        public void Start(Analyzer analyzer, CatchAllTextField field)
        {
            _analyzer = analyzer;
            _field = field;
        }

        public override void Reset()
        {
            base.Reset();
            CloseValue();
            _section = 0;
            _next = 0;
            _started = false;
            _position = -1;
        }

        public override bool IncrementToken()
        {
            while (true)
            {
                if (_value is null && !OpenNextValue())
                {
                    _field!._inverted = true;
                    return false;
                }
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
                    _position += increment;
                    var starts = _field!._starts;
                    if (_section > 0 && (starts.Count == 0 || starts[^1].Section != _section)) starts.Add((_section, _position));
                }
                else
                {
                    _position += increment;
                }
                _increment.PositionIncrement = increment;
                return true;
            }
        }

        /// <summary>The next value, in section order; false when there is none.</summary>
        private bool OpenNextValue()
        {
            var values = _field!._values;
            while (_section < values.Length && (values[_section] is not { } list || _next >= list.Count))
            {
                _section++;
                _next = 0;
            }
            if (_section >= values.Length) return false;
            var stream = _analyzer.GetTokenStream(IndexFields.Text, values[_section][_next++]);
            // Kept before Reset, so that a failing Reset still leaves the stream to be disposed.
            _value = stream;
            _valueTerm = stream.AddAttribute<ICharTermAttribute>();
            _valueIncrement = stream.AddAttribute<IPositionIncrementAttribute>();
            stream.Reset();
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
                _field = null;
            }
            base.Dispose(disposing);
        }
    }
}
