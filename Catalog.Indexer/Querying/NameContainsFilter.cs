using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Datasets whose name contains a text anywhere (not only at the start), for autocompletion. Each segment's names
/// are read once from their doc values into a plain array kept with the segment; a search then scans that array,
/// which is faster than running a contains-automaton over the whole term dictionary.
/// </summary>
public sealed class NameContainsFilter(string text, SegmentNames segmentNames) : Filter
{
    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
    {
        var reader = context.AtomicReader;
        if (reader.GetSortedDocValues(IndexFields.Name) is not { } values) return null;
        var names = segmentNames.For(reader, values);
        var matching = new bool[names.ByOrd.Length];
        var any = false;
        for (var ord = 0; ord < matching.Length; ord++)
            any |= matching[ord] = names.ByOrd[ord].Contains(text, StringComparison.Ordinal);
        if (!any) return null;
        var bits = new FixedBitSet(reader.MaxDoc);
        for (var doc = 0; doc < names.OrdByDoc.Length; doc++)
        {
            var ord = names.OrdByDoc[doc];
            if (ord >= 0 && matching[ord] && (acceptDocs is null || acceptDocs.Get(doc))) bits.Set(doc);
        }
        return bits;
    }

    public override string ToString() => $"name contains {text}";
}

/// <summary>Each segment's dataset names, read once from doc values; owned by the index.</summary>
public sealed class SegmentNames
{
    public sealed record Names(string[] ByOrd, int[] OrdByDoc);

    private readonly ConditionalWeakTable<object, Names> _bySegment = new();

    public Names For(AtomicReader reader, SortedDocValues values) => _bySegment.GetValue(reader.CoreCacheKey, _ => Load(reader, values));

    public void Clear() => _bySegment.Clear();

    private static Names Load(AtomicReader reader, SortedDocValues values)
    {
        var byOrd = new string[values.ValueCount];
        var bytes = new BytesRef();
        for (var ord = 0; ord < byOrd.Length; ord++)
        {
            values.LookupOrd(ord, bytes);
            byOrd[ord] = bytes.Utf8ToString();
        }
        var ordByDoc = new int[reader.MaxDoc];
        for (var doc = 0; doc < ordByDoc.Length; doc++) ordByDoc[doc] = values.GetOrd(doc);
        return new Names(byOrd, ordByDoc);
    }
}
