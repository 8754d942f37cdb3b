using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Counts facet values over every matching document (not only the page returned): per segment by ordinal (from
/// <see cref="FacetTable"/>), turned into values when the segment is done.
/// </summary>
public sealed class FacetCollector(IReadOnlyList<string> fields, FacetTables tables) : ICollector
{
    private readonly IReadOnlyList<string> _tableFields = FacetTables.TableFields(fields);
    private ValueList<string> _key;
    private bool _keyMade;
    /// <summary>Where each asked field sits in the table's fields.</summary>
    private int[]? _positions;
    private readonly Dictionary<string, int>[] _totals = fields.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
    private FacetTable? _table;
    private int[] _counts = [];

    public void SetScorer(Scorer scorer) { }

    public bool AcceptsDocsOutOfOrder => true;

    public void SetNextReader(AtomicReaderContext context)
    {
        Flush();
        if (!_keyMade) (_key, _keyMade) = (ReferenceEquals(_tableFields, FacetTables.Common) ? FacetTables.CommonKey : new ValueList<string>(_tableFields), true);
        _table = tables.For(context.AtomicReader, _tableFields, _key);
        _positions ??= fields.Select(f => IndexOf(_table.Fields, f)).ToArray();
        _counts = new int[_table.Labels.Length];
    }

    public void Collect(int doc)
    {
        var table = _table!;
        var ords = table.Ords;
        var counts = _counts;
        for (int j = table.Starts[doc], end = table.Starts[doc + 1]; j < end; j++) counts[ords[j]]++;
    }

    /// <summary>Counts per field, every value with at least one match.</summary>
    public IReadOnlyList<Dictionary<string, int>> Totals()
    {
        Flush();
        return _totals;
    }

    private void Flush()
    {
        if (_table is not { } table) return;
        for (var f = 0; f < _totals.Length; f++)
        {
            var totals = _totals[f];
            var at = _positions![f];
            for (var ord = table.FieldStarts[at]; ord < table.FieldStarts[at + 1]; ord++)
            {
                if (_counts[ord] == 0) continue;
                var key = table.Labels[ord];
                totals[key] = totals.GetValueOrDefault(key) + _counts[ord];
            }
        }
        _table = null;
    }

    private static int IndexOf(IReadOnlyList<string> fields, string field)
    {
        for (var i = 0; i < fields.Count; i++)
            if (string.Equals(fields[i], field, StringComparison.Ordinal)) return i;
        throw new InvalidOperationException($"Facet field {field} is not in its table");
    }
}
