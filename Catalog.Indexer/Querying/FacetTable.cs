using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// A segment's facet values for one list of fields, copied out of its doc values into plain arrays: each document's
/// value ordinals of all the fields side by side, numbered across the fields (a field's ordinals start where the
/// previous field's end), with the value of each. Counting a match then reads one short run of one array: kept field
/// by field, the same count touched an array per field in a different place of memory, and memory, not arithmetic,
/// was what a faceted search waited for. Built once per segment and field list, dropped with the segment.
/// </summary>
public sealed class FacetTable
{
    /// <summary>The fields side by side, in the order of <see cref="FieldStarts"/>.</summary>
    public required IReadOnlyList<string> Fields { get; init; }

    /// <summary>Where each document's ordinals start in <see cref="Ords"/>; one entry more than documents.</summary>
    public required int[] Starts { get; init; }

    /// <summary>Ordinals numbered across the fields, document after document.</summary>
    public required int[] Ords { get; init; }

    /// <summary>Where each field's ordinals start; one entry more than fields.</summary>
    public required int[] FieldStarts { get; init; }

    /// <summary>The value of each ordinal.</summary>
    public required string[] Labels { get; init; }

    internal static FacetTable Build(AtomicReader reader, IReadOnlyList<string> fields)
    {
        var values = fields.Select(reader.GetSortedSetDocValues).ToArray();
        var fieldStarts = new int[fields.Count + 1];
        for (var f = 0; f < fields.Count; f++)
            fieldStarts[f + 1] = fieldStarts[f] + (int)(values[f]?.ValueCount ?? 0);

        var starts = new int[reader.MaxDoc + 1];
        var ords = new List<int>(reader.MaxDoc * fields.Count);
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            starts[doc] = ords.Count;
            for (var f = 0; f < fields.Count; f++)
            {
                if (values[f] is not { } field) continue;
                field.SetDocument(doc);
                for (var ord = field.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = field.NextOrd()) ords.Add(fieldStarts[f] + (int)ord);
            }
        }
        starts[reader.MaxDoc] = ords.Count;

        var labels = new string[fieldStarts[^1]];
        var bytes = new BytesRef();
        for (var f = 0; f < fields.Count; f++)
        {
            if (values[f] is not { } field) continue;
            for (var ord = 0; ord < field.ValueCount; ord++)
            {
                field.LookupOrd(ord, bytes);
                labels[fieldStarts[f] + ord] = bytes.Utf8ToString();
            }
        }
        return new FacetTable { Fields = fields, Starts = starts, Ords = [.. ords], FieldStarts = fieldStarts, Labels = labels };
    }
}

/// <summary>
/// Each segment's facet tables, owned by the index (<see cref="SegmentCaches"/>). Requests name their facet fields in
/// any order and any subset (CKAN clients and our pages send one to five of the default five), and building a table
/// costs a pass over the segment: a table per list as written meant hundreds of lists under varied traffic, each
/// rebuilt again and again as the per-segment bound evicted it (half of package_search's time in the load benchmark).
/// So any subset of <see cref="Common"/> shares one table holding all five, and other lists are keyed in field-name
/// order; counting the fields a request did not ask for costs less than building a table.
/// </summary>
public sealed class FacetTables
{
    /// <summary>The index fields behind CKAN's default facets (search.facets).</summary>
    public static readonly IReadOnlyList<string> Common =
        [IndexFields.Organization, IndexFields.Groups, IndexFields.Tags, IndexFields.ResFormat, IndexFields.LicenseId];

    internal static readonly ValueList<string> CommonKey = new(Common);

    /// <summary>Field lists remembered per segment; callers choose them, so their number is bounded.</summary>
    private const int MaxFieldListsPerSegment = 16;

    /// <summary>Keyed by the field list itself, compared field by field: a field name may hold any character.</summary>
    private readonly ConditionalWeakTable<object, ConcurrentDictionary<ValueList<string>, FacetTable>> _bySegment = new();

    /// <summary>The fields of the table that serves <paramref name="fields"/>: the common five, or the fields in name order.</summary>
    public static IReadOnlyList<string> TableFields(IReadOnlyList<string> fields) =>
        fields.All(Common.Contains) ? Common : fields.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>A table holding at least <paramref name="fields"/>; its <see cref="FacetTable.Fields"/> say where each is.</summary>
    public FacetTable For(AtomicReader reader, IReadOnlyList<string> fields)
    {
        var tableFields = TableFields(fields);
        return For(reader, tableFields, ReferenceEquals(tableFields, Common) ? CommonKey : new ValueList<string>(tableFields));
    }

    /// <param name="tableFields">From <see cref="TableFields"/>.</param>
    /// <param name="key"><paramref name="tableFields"/> as a value, made once per search rather than once per segment.</param>
    public FacetTable For(AtomicReader reader, IReadOnlyList<string> tableFields, ValueList<string> key)
    {
        var tables = _bySegment.GetValue(reader.CoreCacheKey, _ => new ConcurrentDictionary<ValueList<string>, FacetTable>());
        if (tables.TryGetValue(key, out var table)) return table;
        if (tables.Count >= MaxFieldListsPerSegment) tables.Clear();
        return tables.GetOrAdd(key, _ => FacetTable.Build(reader, tableFields));
    }

    public void Clear() => _bySegment.Clear();
}
