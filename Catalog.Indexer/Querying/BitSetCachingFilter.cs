using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Caches a filter per segment as a plain bit set. Unlike the default compressed cache, a bit set offers random
/// access, so searches apply it while reading postings instead of stepping through it alongside the query.
/// </summary>
public sealed class BitSetCachingFilter(Filter filter) : CachingWrapperFilter(filter)
{
    protected override DocIdSet CacheImpl(DocIdSetIterator iterator, AtomicReader reader)
    {
        var bits = new FixedBitSet(reader.MaxDoc);
        bits.Or(iterator);
        return bits;
    }
}
