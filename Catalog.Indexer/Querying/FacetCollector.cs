using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Counts facet values over every matching document (not only the page returned) from sorted-set doc values:
/// per segment by ordinal, resolved to strings when the segment is done.
/// </summary>
public sealed class FacetCollector(IReadOnlyList<string> fields) : ICollector
{
    private readonly Dictionary<string, int>[] _totals = fields.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
    private readonly SortedSetDocValues?[] _values = new SortedSetDocValues?[fields.Count];
    private readonly int[]?[] _segmentCounts = new int[]?[fields.Count];

    public void SetScorer(Scorer scorer) { }

    public bool AcceptsDocsOutOfOrder => true;

    public void SetNextReader(AtomicReaderContext context)
    {
        Flush();
        for (var i = 0; i < fields.Count; i++)
        {
            var values = context.AtomicReader.GetSortedSetDocValues(fields[i]);
            _values[i] = values;
            _segmentCounts[i] = values is null ? null : new int[values.ValueCount];
        }
    }

    public void Collect(int doc)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (_values[i] is not { } values) continue;
            var counts = _segmentCounts[i]!;
            values.SetDocument(doc);
            for (var ord = values.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = values.NextOrd())
                counts[ord]++;
        }
    }

    /// <summary>Counts per field, every value with at least one match.</summary>
    public IReadOnlyList<Dictionary<string, int>> Totals()
    {
        Flush();
        return _totals;
    }

    private void Flush()
    {
        var bytes = new BytesRef();
        for (var i = 0; i < _values.Length; i++)
        {
            if (_values[i] is not { } values) continue;
            var counts = _segmentCounts[i]!;
            for (var ord = 0; ord < counts.Length; ord++)
            {
                if (counts[ord] == 0) continue;
                values.LookupOrd(ord, bytes);
                var key = bytes.Utf8ToString();
                _totals[i][key] = _totals[i].GetValueOrDefault(key) + counts[ord];
            }
            _values[i] = null;
            _segmentCounts[i] = null;
        }
    }
}
