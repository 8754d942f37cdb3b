using Catalog.Indexer.Querying;

namespace Catalog.Indexer;

/// <summary>
/// What the index keeps per segment to answer searches quickly: parsed stored dicts, facet tables and dataset names.
/// A segment never changes, so nothing in them goes stale, and a segment's entries go with it. Owned by one
/// <see cref="SearchIndex"/> rather than held in static fields, so each index (and each test) has its own.
/// </summary>
public sealed class SegmentCaches
{
    public StoredDicts Dicts { get; } = new();
    public FacetTables Facets { get; } = new();
    public SegmentNames Names { get; } = new();

    /// <summary>
    /// Builds what every faceted search of a segment needs (the table of the default facets), when the segment is
    /// opened or merged rather than on the first search that meets it. Cheap for a segment already warmed.
    /// </summary>
    public void Warm(Lucene.Net.Index.AtomicReader reader) => Facets.For(reader, FacetTables.Common);

    public void Clear()
    {
        Dicts.Clear();
        Facets.Clear();
        Names.Clear();
    }
}
