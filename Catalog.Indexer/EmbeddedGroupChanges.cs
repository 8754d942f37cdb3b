using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Store;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Indexer;

/// <summary>
/// Tells whether an organization or group change in the feed changed what its datasets embed (the <c>organization</c>
/// object and the <c>groups</c> entries: name, title, description, image, state…), by comparing the snapshot the
/// change recorded with the one before it, or, when there is none (a store written without the feed, as imports and
/// the load bench write it), with what an indexed dataset of it embeds. Memberships of users and datasets are
/// recorded as changes of the organization or group too (CKAN's "changed organization"), but leave those fields as
/// they were: re-indexing every dataset of an organization for them made a member_create cost as much as a rename.
/// A dataset put in or taken out of a group is a change of that dataset in the feed already. One instance per batch.
/// </summary>
public sealed class EmbeddedGroupChanges(CatalogDbContext db, SearchIndex index)
{
    /// <summary>What datasets copy from their organization (<c>GroupDictizer.EmbeddedOrganization</c>).</summary>
    private static readonly string[] OrganizationKeys =
        ["approval_status", "created", "description", "id", "image_url", "is_organization", "name", "state", "title", "type"];

    /// <summary>What datasets copy from a group (<c>GroupDictizer.EmbeddedGroup</c>; display name and image derive from these).</summary>
    private static readonly string[] GroupKeys = ["description", "id", "image_url", "name", "state", "title"];

    private readonly Dictionary<string, JsonObject?> _lastSeen = new(StringComparer.Ordinal);

    /// <summary>
    /// True unless this change's snapshot agrees on every embedded field with the previous snapshot of the same object,
    /// or, without one, with an indexed dataset of it (and false when no indexed dataset names it: those the store puts
    /// in it are changes of their own). When in doubt (an unreadable snapshot) the datasets are re-read. Changes must
    /// be asked about in feed order.
    /// </summary>
    public async Task<bool> ChangedAsync(long seq, string objectType, string objectId, string? data, CancellationToken ct)
    {
        var current = Embedded(Snapshot(data, objectType), objectType);
        if (!_lastSeen.TryGetValue(objectId, out var previous))
        {
            var before = await db.Activities.AsNoTracking()
                .Where(a => a.ObjectId == objectId && a.ObjectType == objectType && a.Seq < seq)
                .OrderByDescending(a => a.Seq).Select(a => a.Data).FirstOrDefaultAsync(ct);
            if (before is null)
            {
                var (named, embedded) = Indexed(objectType, objectId);
                if (!named) { _lastSeen[objectId] = current; return false; }
                previous = embedded;
            }
            else previous = Embedded(Snapshot(before, objectType), objectType);
        }
        _lastSeen[objectId] = current;
        return current is null || previous is null || !JsonNode.DeepEquals(current, previous);
    }

    private static JsonObject? Snapshot(string? data, string objectType)
    {
        if (string.IsNullOrEmpty(data)) return null;
        try
        {
            return JsonNode.Parse(data) is JsonObject root ? root[objectType] as JsonObject : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject? Embedded(JsonObject? snapshot, string objectType)
    {
        if (snapshot is null) return null;
        var embedded = new JsonObject();
        foreach (var key in objectType == "organization" ? OrganizationKeys : GroupKeys) embedded[key] = snapshot[key]?.DeepClone();
        return embedded;
    }

    /// <summary>Whether an indexed dataset names the organization or group, and what the first one found embeds of it.</summary>
    private (bool Named, JsonObject? Embedded) Indexed(string objectType, string objectId) => index.WithSearcher(searcher =>
    {
        var field = objectType == "organization" ? IndexFields.OwnerOrg : IndexFields.GroupIds;
        var hits = searcher.Search(new TermQuery(new Term(field, objectId)), 1).ScoreDocs;
        if (hits.Length == 0) return (false, (JsonObject?)null);
        var leaves = searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(hits[0].Doc, leaves)];
        var dict = JsonNode.Parse(index.Caches.Dicts.Read(leaf.AtomicReader, hits[0].Doc - leaf.DocBase).GetRawText()) as JsonObject;
        if (objectType == "organization")
            // A dataset embeds its organization only while it is active; otherwise null, and the change is re-applied.
            return (true, Embedded(dict?["organization"] as JsonObject, objectType));
        var entry = (dict?["groups"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(g => g["id"]?.GetValue<string>() == objectId);
        if (entry is null) return (true, null);
        // Datasets list active groups only, and show the image as image_display_url.
        var embedded = Embedded(entry, objectType)!;
        embedded["image_url"] = entry["image_display_url"]?.DeepClone();
        embedded["state"] = "active";
        return (true, embedded);
    });
}
