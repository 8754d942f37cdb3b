using Catalog.Core.Auth;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core;
using Catalog.Indexer.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Catalog.Indexer;

/// <summary>
/// A dataset's CKAN dict → its index document. Everything comes from the dict, so what search returns and what it
/// matches on cannot disagree.
/// </summary>
public static class DatasetDocument
{
    /// <summary>Doc-value terms are limited to 32 KB; facet values longer than this are cut.</summary>
    private const int MaxFacetValueBytes = 4096;

    /// <summary>
    /// An exact value indexed with its frequency: each resource adds its format once more, so the postings tell how
    /// many resources of a dataset have a format (format_autocomplete counts resources, as CKAN does).
    /// </summary>
    private static readonly FieldType CountedExact = Frozen(new(StringField.TYPE_NOT_STORED) { IsTokenized = true, IndexOptions = IndexOptions.DOCS_AND_FREQS });

    /// <summary>
    /// An exact value: one term, no norms, as a StringField indexes it, but through the keyword analyzer
    /// (<see cref="SearchIndex.IndexAnalyzer"/>), whose reused token stream is far cheaper than a StringField's own.
    /// </summary>
    private static readonly FieldType ExactType = Frozen(new(StringField.TYPE_NOT_STORED) { IsTokenized = true });

    private static FieldType Frozen(FieldType type)
    {
        type.Freeze();
        return type;
    }

    /// <summary>Japanese kept as UTF-8 rather than \u escapes, which take twice the room.</summary>
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The stored dict of a document.</summary>
    public static JsonElement ReadDict(AtomicReader reader, int doc)
    {
        var visitor = new DictVisitor();
        reader.Document(doc, visitor);
        if (visitor.Json is not { } json) throw new InvalidOperationException($"Document {doc} has no stored dict");
        // The parsed document keeps the bytes read rather than copying them into a clone; it is not
        // disposed, so its pooled index is left to the GC rather than returned to the pool.
        return JsonDocument.Parse(json).RootElement;
    }

    /// <summary>Reads the dict and stops: the other stored values are not wanted.</summary>
    private sealed class DictVisitor : StoredFieldVisitor
    {
        public byte[]? Json { get; private set; }

        public override Status NeedsField(FieldInfo fieldInfo) =>
            fieldInfo.Name == IndexFields.DataDict ? Status.YES : Json is null ? Status.NO : Status.STOP;

        public override void BinaryField(FieldInfo fieldInfo, byte[] value) => Json = value;
    }

    /// <param name="readings">Readings of the title and tags, indexed in <see cref="IndexFields.Reading"/>.</param>
    public static Document Build(JsonObject dict, Readings? readings = null)
    {
        var doc = new Document();
        var id = Str(dict, "id") ?? throw new ArgumentException("A dataset dict needs an id", nameof(dict));
        var name = Str(dict, "name") ?? id;
        var title = Str(dict, "title") ?? name;
        var state = Str(dict, "state") ?? "active";
        var isPrivate = dict["private"] is JsonValue p && p.GetValueKind() == JsonValueKind.True;
        var ownerOrg = Str(dict, "owner_org");
        var creator = Str(dict, "creator_user_id");

        Exact(doc, IndexFields.Id, id, sortable: true);
        Exact(doc, IndexFields.Name, name, sortable: true);
        Analysed(doc, IndexFields.NameText, NameWords(name));
        Analysed(doc, IndexFields.Title, title);
        if (readings is { Available: true }) Analysed(doc, IndexFields.Reading, readings.Indexed(title));
        var kanaWords = new HashSet<string>(StringComparer.Ordinal);
        KatakanaWords.Collect(title, kanaWords);
        KatakanaWords.Collect(Str(dict, "notes"), kanaWords);
        Exact(doc, IndexFields.TitleString, title, sortable: true);
        Exact(doc, IndexFields.State, state, facet: true);
        Exact(doc, IndexFields.Capacity, isPrivate ? "private" : "public", facet: true);
        Exact(doc, IndexFields.DatasetType, Str(dict, "type") ?? "dataset", facet: true);
        Exact(doc, IndexFields.SiteId, IndexFields.SiteIdValue);
        Exact(doc, IndexFields.LicenseId, Str(dict, "license_id"), facet: true);
        Exact(doc, IndexFields.OwnerOrg, ownerOrg, facet: true);
        Exact(doc, IndexFields.CreatorUserId, creator);
        Exact(doc, IndexFields.Url, Str(dict, "url"));
        Exact(doc, IndexFields.Version, Str(dict, "version"));
        Date(doc, IndexFields.MetadataCreated, Str(dict, "metadata_created"));
        Date(doc, IndexFields.MetadataModified, Str(dict, "metadata_modified"));
        foreach (var label in Visibility.DatasetLabels(id, state, isPrivate, ownerOrg, creator))
            Exact(doc, IndexFields.PermissionLabels, label);

        // The catch-all field, as CKAN's copyField rules fill it (plus organization and group titles, which carry
        // the Japanese names people search for): one value per source value, a position gap apart, so a phrase
        // never spans two of them. Notes, resource names and descriptions, author and maintainer also have fields of
        // their own, so that a fielded query (notes:図書館) scores with its field's statistics, as in CKAN's Solr.
        CatchAll(doc, name);
        CatchAll(doc, title);
        CatchAll(doc, Str(dict, "license_title"));
        CatchAll(doc, Str(dict, "url"));
        CatchAll(doc, Str(dict, "version"));
        // name_text splits the name at "_" as well, which the tokenizer keeps inside a word: text holds that form too,
        // so that everything name_text matches, text matches (IndexFields.IsCopiedIntoText).
        if (name.Contains('_')) CatchAll(doc, NameWords(name));
        Copied(doc, IndexFields.Notes, Str(dict, "notes"));
        Copied(doc, IndexFields.Author, Str(dict, "author"));
        Copied(doc, IndexFields.Maintainer, Str(dict, "maintainer"));

        foreach (var tag in Objects(dict, "tags"))
        {
            var tagName = Str(tag, "name");
            // As in CKAN's index, `tags` holds free tags; a vocabulary's tags are found as text only.
            if (Str(tag, "vocabulary_id") is null) Exact(doc, IndexFields.Tags, tagName, facet: true);
            Analysed(doc, IndexFields.TagsText, tagName);
            if (readings is { Available: true } && tagName is not null) Analysed(doc, IndexFields.Reading, readings.Indexed(tagName));
            KatakanaWords.Collect(tagName, kanaWords);
            CatchAll(doc, tagName);
        }
        foreach (var group in Objects(dict, "groups"))
        {
            Exact(doc, IndexFields.Groups, Str(group, "name"), facet: true);
            Exact(doc, IndexFields.GroupIds, Str(group, "id"), facet: true);
            Analysed(doc, IndexFields.GroupsText, Str(group, "name"));
            Analysed(doc, IndexFields.GroupsText, Str(group, "title"));
            CatchAll(doc, Str(group, "name"));
            CatchAll(doc, Str(group, "title"));
            KatakanaWords.Collect(Str(group, "title"), kanaWords);
        }
        if (dict["organization"] is JsonObject org)
        {
            Exact(doc, IndexFields.Organization, Str(org, "name"), facet: true);
            CatchAll(doc, Str(org, "name"));
            CatchAll(doc, Str(org, "title"));
        }
        foreach (var resource in Objects(dict, "resources"))
        {
            if (Str(resource, "format") is { Length: > 0 } format)
            {
                doc.Add(new Field(IndexFields.ResFormat, format, CountedExact));
                Facet(doc, IndexFields.ResFormat, format);
            }
            Exact(doc, IndexFields.ResType, Str(resource, "resource_type"), facet: true);
            Exact(doc, IndexFields.ResUrl, Str(resource, "url"));
            Copied(doc, IndexFields.ResName, Str(resource, "name"));
            KatakanaWords.Collect(Str(resource, "name"), kanaWords);
            Copied(doc, IndexFields.ResDescription, Str(resource, "description"));
        }
        foreach (var extra in Objects(dict, "extras"))
        {
            if (Str(extra, "key") is not { Length: > 0 } key) continue;
            var (field, value) = (IndexFields.ExtrasPrefix + key, Str(extra, "value"));
            Analysed(doc, field, value);
            Facet(doc, field, value);
            CatchAll(doc, value);
        }
        foreach (var word in kanaWords) Exact(doc, IndexFields.KanaWords, word);

        // A stored field, compressed with its neighbours: smaller than uncompressed doc values, and merged by copying
        // compressed blocks, which makes rebuilds faster (docs/bench-log/).
        doc.Add(new StoredField(IndexFields.DataDict, JsonSerializer.SerializeToUtf8Bytes(dict, CompactJson)));
        return doc;
    }

    /// <summary>Dates are indexed as ticks of naive UTC (microseconds kept), for ranges and sorting.</summary>
    public static long? Ticks(string? timestamp) =>
        timestamp is { Length: > 0 } && Timestamps.TryParse(timestamp, out var utc) ? utc.Ticks : null;

    private static void Exact(Document doc, string field, string? value, bool sortable = false, bool facet = false)
    {
        if (string.IsNullOrEmpty(value)) return;
        doc.Add(new Field(field, value, ExactType));
        if (sortable) doc.Add(new SortedDocValuesField(field, new BytesRef(Cut(value))));
        if (facet) Facet(doc, field, value);
    }

    private static void Facet(Document doc, string field, string? value)
    {
        if (!string.IsNullOrEmpty(value)) doc.Add(new SortedSetDocValuesField(field, new BytesRef(Cut(value))));
    }

    private static void Analysed(Document doc, string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) doc.Add(new TextField(field, value, Field.Store.NO));
    }

    private static void CatchAll(Document doc, string? value) => Analysed(doc, IndexFields.Text, value);

    /// <summary>A value indexed in its own field and in the catch-all <c>text</c>, as CKAN's copyField does.</summary>
    private static void Copied(Document doc, string field, string? value)
    {
        Analysed(doc, field, value);
        CatchAll(doc, value);
    }

    /// <summary>
    /// A date as sorted doc values only (<see cref="DateBytes"/>): sorted on and matched by range from them
    /// (<see cref="Querying.DateRangeFilter"/>), without the trie terms of a numeric field, which were a fifth of the
    /// time to index a dataset, and without numeric doc values, which Lucene.NET sizes by reflection on every value.
    /// </summary>
    private static void Date(Document doc, string field, string? value)
    {
        if (Ticks(value) is { } ticks) doc.Add(new SortedDocValuesField(field, DateBytes(ticks)));
    }

    /// <summary>Ticks as eight big-endian bytes: as bytes sort, so do the dates.</summary>
    public static BytesRef DateBytes(long ticks)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, Math.Max(ticks, 0));
        return new BytesRef(bytes);
    }

    private static string NameWords(string name) => name.Replace('-', ' ').Replace('_', ' ');

    private static string Cut(string value)
    {
        if (value.Length * 3 <= MaxFacetValueBytes) return value;
        var length = Math.Min(value.Length, MaxFacetValueBytes / 3);
        if (char.IsHighSurrogate(value[length - 1])) length--;
        return value[..length];
    }

    private static string? Str(JsonObject o, string key) => o[key] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    private static IEnumerable<JsonObject> Objects(JsonObject o, string key) =>
        o[key] is JsonArray a ? a.OfType<JsonObject>() : [];
}
