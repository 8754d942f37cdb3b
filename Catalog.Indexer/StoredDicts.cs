using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Lucene.Net.Index;

namespace Catalog.Indexer;

/// <summary>
/// The stored dicts of recently returned documents, kept per segment as Solr's document cache keeps them for CKAN: a
/// result page reads each dict out of a compressed block and parses it, and the same datasets come back again and
/// again (the first pages of popular searches, a crawler paging). A segment never changes, so an entry never goes
/// stale, and a segment's entries go with the segment. A parsed dict is only ever read, so searches share it.
/// </summary>
public sealed class StoredDicts
{
    /// <summary>
    /// Entries per segment; a full segment cache starts afresh. A parsed dict holds its UTF-8 text and an index of about
    /// the same size, so this bounds the memory of a segment's entries to a few hundred dicts.
    /// </summary>
    private const int PerSegment = 256;

    private readonly ConditionalWeakTable<object, ConcurrentDictionary<int, JsonElement>> _bySegment = new();

    public JsonElement Read(AtomicReader reader, int doc)
    {
        var dicts = _bySegment.GetValue(reader.CoreCacheKey, _ => new ConcurrentDictionary<int, JsonElement>());
        if (dicts.TryGetValue(doc, out var dict)) return dict;
        dict = DatasetDocument.ReadDict(reader, doc);
        if (dicts.Count >= PerSegment) dicts.Clear();
        dicts[doc] = dict;
        return dict;
    }

    public void Clear() => _bySegment.Clear();
}
