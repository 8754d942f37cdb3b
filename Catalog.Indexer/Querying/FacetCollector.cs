using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Counts facet values over every matching document (not only the page returned): per segment by ordinal (from
/// <see cref="FacetOrdinals"/>), turned into values when the segment is done.
/// </summary>
public sealed class FacetCollector(IReadOnlyList<string> fields) : ICollector
{
    private readonly Dictionary<string, int>[] _totals = fields.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
    private readonly FacetOrdinals?[] _ordinals = new FacetOrdinals?[fields.Count];
    private readonly int[]?[] _segmentCounts = new int[]?[fields.Count];
    public void SetScorer(Scorer scorer) { }

    public bool AcceptsDocsOutOfOrder => true;

    public void SetNextReader(AtomicReaderContext context)
    {
        Flush();
        for (var i = 0; i < fields.Count; i++)
        {
            var ordinals = FacetOrdinals.For(context.AtomicReader, fields[i]);
            _ordinals[i] = ordinals;
            _segmentCounts[i] = ordinals is null ? null : new int[ordinals.Labels.Length];
        }
    }

    public void Collect(int doc)
    {
        for (var i = 0; i < _ordinals.Length; i++)
        {
            if (_ordinals[i] is not { } ordinals) continue;
            var counts = _segmentCounts[i]!;
            var ords = ordinals.Ords;
            for (int j = ordinals.Starts[doc], end = ordinals.Starts[doc + 1]; j < end; j++) counts[ords[j]]++;
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
        for (var i = 0; i < _ordinals.Length; i++)
        {
            if (_ordinals[i] is not { } ordinals) continue;
            var counts = _segmentCounts[i]!;
            for (var ord = 0; ord < counts.Length; ord++)
            {
                if (counts[ord] == 0) continue;
                var key = ordinals.Labels[ord];
                _totals[i][key] = _totals[i].GetValueOrDefault(key) + counts[ord];
            }
            _ordinals[i] = null;
            _segmentCounts[i] = null;
        }
    }
}
