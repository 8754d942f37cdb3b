using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// Cuts runs of adjacent CJK tokens from <see cref="StandardTokenizer"/> into overlapping bigrams (and, for the
/// index, unigrams at the same positions): the same tokens, positions, offsets and types as Lucene's
/// CJKBigramFilter over all four scripts. That filter snapshots every attribute of the stream whenever a run ends
/// before another token (in Japanese text, at nearly every particle, digit or bracket) and the snapshots were a
/// fifth of the indexing time; this one keeps only the few values of that one token. It therefore expects the
/// stream to carry just the tokenizer's attributes (term, offsets, position increment, type), as our analyzer's does.
/// </summary>
public sealed class CjkGramFilter : TokenFilter
{
    private const string SingleType = "<SINGLE>";
    private const string DoubleType = "<DOUBLE>";

    private static readonly string Han = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.IDEOGRAPHIC];
    private static readonly string Hiragana = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.HIRAGANA];
    private static readonly string Katakana = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.KATAKANA];
    private static readonly string Hangul = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.HANGUL];

    private readonly bool _unigrams;
    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offset;
    private readonly ITypeAttribute _type;
    private readonly IPositionIncrementAttribute _increment;
    private readonly IPositionLengthAttribute _length;

    // The current run: code points with their offsets; grams are cut from _index on.
    private int[] _points = new int[16];
    private int[] _starts = new int[16];
    private int[] _ends = new int[16];
    private int _count;
    private int _index;
    private int _lastEnd;
    private bool _bigramNext;
    private bool _exhausted;

    // A token read ahead that ended a run: returned once the run's last unigram is out.
    private bool _pending;
    private char[] _pendingTerm = new char[16];
    private int _pendingTermLength;
    private int _pendingStart;
    private int _pendingEnd;
    private string _pendingType = "";
    private int _pendingIncrement;

    public CjkGramFilter(TokenStream input, bool unigrams) : base(input)
    {
        _unigrams = unigrams;
        _term = AddAttribute<ICharTermAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _type = AddAttribute<ITypeAttribute>();
        _increment = AddAttribute<IPositionIncrementAttribute>();
        _length = AddAttribute<IPositionLengthAttribute>();
    }

    public override bool IncrementToken()
    {
        while (true)
        {
            if (_count - _index > 1)
            {
                // Two or more code points left: a bigram (with unigrams: the unigram first, then the bigram over it).
                if (_unigrams)
                {
                    if (_bigramNext) FlushBigram();
                    else
                    {
                        FlushUnigram();
                        _index--;
                    }
                    _bigramNext = !_bigramNext;
                }
                else
                {
                    FlushBigram();
                }
                return true;
            }
            if (Next())
            {
                if (IsCjk(_type.Type))
                {
                    if (_offset.StartOffset != _lastEnd)
                    {
                        // Not adjacent to the run so far: the run ends here.
                        if (HasBufferedUnigram)
                        {
                            Hold();
                            FlushUnigram();
                            return true;
                        }
                        _index = 0;
                        _count = 0;
                    }
                    Refill();
                }
                else
                {
                    if (HasBufferedUnigram)
                    {
                        Hold();
                        FlushUnigram();
                        return true;
                    }
                    return true;
                }
            }
            else
            {
                if (HasBufferedUnigram)
                {
                    FlushUnigram();
                    return true;
                }
                return false;
            }
        }
    }

    public override void Reset()
    {
        base.Reset();
        _count = 0;
        _index = 0;
        _lastEnd = 0;
        _bigramNext = false;
        _exhausted = false;
        _pending = false;
    }

    private bool HasBufferedUnigram => _unigrams ? _count - _index == 1 : _count == 1 && _index == 0;

    private static bool IsCjk(string type) =>
        ReferenceEquals(type, Han) || ReferenceEquals(type, Hiragana) || ReferenceEquals(type, Katakana) || ReferenceEquals(type, Hangul)
        || type == Han || type == Hiragana || type == Katakana || type == Hangul;

    private bool Next()
    {
        if (_pending)
        {
            _pending = false;
            ClearAttributes();
            _term.CopyBuffer(_pendingTerm, 0, _pendingTermLength);
            _offset.SetOffset(_pendingStart, _pendingEnd);
            _type.Type = _pendingType;
            _increment.PositionIncrement = _pendingIncrement;
            return true;
        }
        if (_exhausted) return false;
        if (m_input.IncrementToken()) return true;
        _exhausted = true;
        return false;
    }

    private void Hold()
    {
        var length = _term.Length;
        if (_pendingTerm.Length < length) _pendingTerm = new char[Math.Max(length, _pendingTerm.Length * 2)];
        Array.Copy(_term.Buffer, _pendingTerm, length);
        _pendingTermLength = length;
        _pendingStart = _offset.StartOffset;
        _pendingEnd = _offset.EndOffset;
        _pendingType = _type.Type;
        _pendingIncrement = _increment.PositionIncrement;
        _pending = true;
    }

    private void Refill()
    {
        // Code points before _index are no longer needed.
        if (_index > 0)
        {
            var keep = _count - _index;
            Array.Copy(_points, _index, _points, 0, keep);
            Array.Copy(_starts, _index, _starts, 0, keep);
            Array.Copy(_ends, _index, _ends, 0, keep);
            _count = keep;
            _index = 0;
        }
        var buffer = _term.Buffer;
        var length = _term.Length;
        var start = _offset.StartOffset;
        var end = _offset.EndOffset;
        // Offsets match the characters one to one unless something upstream changed the text's length.
        var exact = start + length == end;
        for (var i = 0; i < length;)
        {
            var point = char.IsHighSurrogate(buffer[i]) && i + 1 < length && char.IsLowSurrogate(buffer[i + 1])
                ? char.ConvertToUtf32(buffer[i], buffer[i + 1]) : buffer[i];
            var width = point > 0xFFFF ? 2 : 1;
            if (_count == _points.Length)
            {
                Array.Resize(ref _points, _count * 2);
                Array.Resize(ref _starts, _count * 2);
                Array.Resize(ref _ends, _count * 2);
            }
            _points[_count] = point;
            _starts[_count] = exact ? start : _offset.StartOffset;
            if (exact) start += width;
            _ends[_count] = exact ? start : end;
            _count++;
            i += width;
        }
        _lastEnd = end;
    }

    private void FlushBigram()
    {
        ClearAttributes();
        var buffer = _term.ResizeBuffer(4);
        var first = Character(_points[_index], buffer, 0);
        _term.Length = first + Character(_points[_index + 1], buffer, first);
        _offset.SetOffset(_starts[_index], _ends[_index + 1]);
        _type.Type = DoubleType;
        if (_unigrams)
        {
            // Beside unigrams a bigram spans two positions, starting at its first character's.
            _increment.PositionIncrement = 0;
            _length.PositionLength = 2;
        }
        _index++;
    }

    private void FlushUnigram()
    {
        ClearAttributes();
        var buffer = _term.ResizeBuffer(2);
        _term.Length = Character(_points[_index], buffer, 0);
        _offset.SetOffset(_starts[_index], _ends[_index]);
        _type.Type = SingleType;
        _index++;
    }

    private static int Character(int point, char[] buffer, int at)
    {
        if (point <= 0xFFFF)
        {
            buffer[at] = (char)point;
            return 1;
        }
        var pair = char.ConvertFromUtf32(point);
        buffer[at] = pair[0];
        buffer[at + 1] = pair[1];
        return 2;
    }
}
