using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// A range of a date field (ticks of naive UTC), read from the field's sorted doc values rather than from indexed
/// terms: the range becomes a range of ordinals (the values sort as the dates, <see cref="DatasetDocument.DateBytes"/>),
/// and each document's ordinal is checked against it, a fraction of a millisecond for 100,000 documents, while the trie
/// terms a numeric range query walks were a fifth of the time to index a dataset and a tenth of the index. Bounds are
/// optional (open ends); a document without the date never matches.
/// </summary>
public sealed class DateRangeFilter(string dateField, long? from, long? to, bool includeFrom, bool includeTo) : Filter
{
    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits acceptDocs)
    {
        if (context.AtomicReader.GetSortedDocValues(dateField) is not { } values || values.ValueCount == 0) return null;
        if (Bounds() is not var (low, high)) return null;
        // The first ordinal at or after low, the last at or before high (LookupTerm: the ordinal, or -(insertion point) - 1).
        var first = values.LookupTerm(DatasetDocument.DateBytes(low)) is var l && l >= 0 ? l : -l - 1;
        var last = values.LookupTerm(DatasetDocument.DateBytes(high)) is var h && h >= 0 ? h : -h - 2;
        if (first > last) return null;
        return new Matches(context.AtomicReader.MaxDoc, acceptDocs, doc => values.GetOrd(doc) is var ord && ord >= first && ord <= last);
    }

    /// <summary>The inclusive bounds, or null when the range is empty.</summary>
    private (long Low, long High)? Bounds()
    {
        var low = from ?? 0;
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
        // Ticks are never negative (DateBytes encodes only those).
        low = Math.Max(low, 0);
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
