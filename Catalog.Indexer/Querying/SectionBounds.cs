using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Where a section of <c>text</c> lies in each document of a segment (<see cref="TextSections"/>): from the position
/// its field's name has in <see cref="IndexFields.Sections"/> to that of the next section the document has, or to the
/// end. Documents are visited in increasing order, as spans and postings visit them.
/// </summary>
public sealed class SectionBounds
{
    private readonly DocsAndPositionsEnum? _own;
    private readonly DocsAndPositionsEnum[] _later;

    // The last document asked for: a start's position can be read only once per document.
    private int _lastDoc = -1;
    private int _lastStart;
    private int _lastEnd;

    private SectionBounds(AtomicReader segment, int section)
    {
        _own = Markers(segment, section);
        _later = Enumerable.Range(section + 1, TextSections.Fields.Count - section)
            .Select(s => Markers(segment, s)).OfType<DocsAndPositionsEnum>().ToArray();
    }

    /// <summary>The bounds of one section in a segment, or null when no document of it has the section.</summary>
    public static SectionBounds? Of(AtomicReader segment, int section)
    {
        var bounds = new SectionBounds(segment, section);
        return bounds._own is null ? null : bounds;
    }

    /// <summary>Start and end (exclusive) of the section for every document, (-1, -1) where it has none; null if none has.</summary>
    public static (int Start, int End)[]? OfEveryDocument(AtomicReader segment, int section)
    {
        if (Of(segment, section) is not { } bounds) return null;
        var all = new (int, int)[segment.MaxDoc];
        Array.Fill(all, (-1, -1));
        for (var doc = bounds._own!.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = bounds._own.NextDoc())
            all[doc] = (bounds._own.NextPosition(), bounds.EndIn(doc));
        return all;
    }

    /// <summary>The section's start and end in <paramref name="doc"/>; false when it has no such section. Documents must come in increasing order.</summary>
    public bool TryGet(int doc, out int start, out int end)
    {
        start = end = -1;
        var own = _own!;
        if (own.DocID < doc) own.Advance(doc);
        if (own.DocID != doc) return false;
        if (_lastDoc != doc)
        {
            _lastDoc = doc;
            _lastStart = own.NextPosition();
            _lastEnd = EndIn(doc);
        }
        start = _lastStart;
        end = _lastEnd;
        return true;
    }

    private int EndIn(int doc)
    {
        var end = int.MaxValue;
        foreach (var later in _later)
        {
            if (later.DocID < doc) later.Advance(doc);
            if (later.DocID == doc) end = Math.Min(end, later.NextPosition());
        }
        return end;
    }

    private static DocsAndPositionsEnum? Markers(AtomicReader segment, int section) =>
        segment.GetTermPositionsEnum(new Term(IndexFields.Sections, TextSections.Fields[section - 1]));
}
