using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Datasets whose name contains a text anywhere (not only at the start), for autocompletion. Each segment's names
/// are read once from their doc values into a plain array kept with the segment; a search then scans that array,
/// which is several times faster than running a contains-automaton over the whole term dictionary.
/// </summary>
public sealed class NameContainsFilter(string text) : Filter
{
    private sealed record Names(string[] ByOrd, int[] OrdByDoc);

    private static readonly ConditionalWeakTable<object, Names> BySegment = new();

    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
    {
        var reader = context.AtomicReader;
        if (reader.GetSortedDocValues(IndexFields.Name) is not { } values) return null;
        var names = BySegment.GetValue(reader.CoreCacheKey, _ => Load(reader, values));
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

    public override string ToString() => $"name contains {text}";
}
