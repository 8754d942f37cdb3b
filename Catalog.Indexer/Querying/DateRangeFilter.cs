using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// A range of a date field (ticks of naive UTC), read from the field's doc values rather than from indexed terms.
/// Date ranges are few in searches and checking 100,000 values costs a fraction of a millisecond, while the trie terms
/// a numeric range query walks were a fifth of the time to index a dataset and a tenth of the index. Bounds are
/// optional (open ends); a document without the date never matches.
/// </summary>
public sealed class DateRangeFilter(string dateField, long? from, long? to, bool includeFrom, bool includeTo) : Filter
{
    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits acceptDocs)
    {
        var reader = context.AtomicReader;
        if (reader.GetNumericDocValues(dateField) is not { } values || reader.GetDocsWithField(dateField) is not { } present) return null;
        if (Bounds() is not var (low, high)) return null;
        return new Matches(reader.MaxDoc, acceptDocs, doc => present.Get(doc) && values.Get(doc) is var v && v >= low && v <= high);
    }

    /// <summary>The inclusive bounds, or null when the range is empty.</summary>
    private (long Low, long High)? Bounds()
    {
        var low = from ?? long.MinValue;
        var high = to ?? long.MaxValue;
        if (from is not null && !includeFrom)
        {
            if (low == long.MaxValue) return null;
            low++;
        }
        if (to is not null && !includeTo)
        {
            if (high == long.MinValue) return null;
            high--;
        }
        return low <= high ? (low, high) : null;
    }

    private sealed class Matches(int maxDoc, IBits acceptDocs, Func<int, bool> match) : FieldCacheDocIdSet(maxDoc, acceptDocs)
    {
        protected override bool MatchDoc(int doc) => match(doc);
    }

    public override string ToString() =>
        $"{dateField}:{(includeFrom ? '[' : '{')}{from?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "*"} TO {to?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "*"}{(includeTo ? ']' : '}')}";

    private (string, long?, long?, bool, bool) Key => (dateField, from, to, includeFrom, includeTo);

    public override bool Equals(object? obj) => obj is DateRangeFilter other && other.Key == Key;

    public override int GetHashCode() => Key.GetHashCode();
}
