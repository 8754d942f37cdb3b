using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// A segment's facet ordinals copied into plain arrays (per document, its value ordinals) with the value of each
/// ordinal, built once per segment and field and dropped with the segment. Counting a facet then reads arrays
/// instead of decoding packed doc values and looking every counted value up again on each search.
/// </summary>
public sealed class FacetOrdinals
{
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<string, FacetOrdinals?>> BySegment = new();

    /// <summary>Where each document's ordinals start in <see cref="Ords"/>; one entry more than documents.</summary>
    public required int[] Starts { get; init; }
    public required int[] Ords { get; init; }
    public required string[] Labels { get; init; }

    /// <summary>The ordinals of <paramref name="field"/> in this segment; null when it has no such doc values.</summary>
    public static FacetOrdinals? For(AtomicReader reader, string field) =>
        BySegment.GetValue(reader.CoreCacheKey, _ => new ConcurrentDictionary<string, FacetOrdinals?>(StringComparer.Ordinal))
            .GetOrAdd(field, f => Build(reader, f));

    private static FacetOrdinals? Build(AtomicReader reader, string field)
    {
        var values = reader.GetSortedSetDocValues(field);
        if (values is null) return null;
        var starts = new int[reader.MaxDoc + 1];
        var ords = new List<int>(reader.MaxDoc);
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            starts[doc] = ords.Count;
            values.SetDocument(doc);
            for (var ord = values.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = values.NextOrd()) ords.Add((int)ord);
        }
        starts[reader.MaxDoc] = ords.Count;
        var labels = new string[values.ValueCount];
        var bytes = new BytesRef();
        for (var ord = 0; ord < labels.Length; ord++)
        {
            values.LookupOrd(ord, bytes);
            labels[ord] = bytes.Utf8ToString();
        }
        return new FacetOrdinals { Starts = starts, Ords = [.. ords], Labels = labels };
    }
}
