using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Indexer;

/// <summary>
/// Tells whether an organization or group change in the feed changed what its datasets embed (the <c>organization</c>
/// object and the <c>groups</c> entries: name, title, description, image, state, type…), by comparing the snapshot
/// the change recorded with the one before it. Memberships of users and datasets are recorded as changes of the
/// organization or group too (CKAN's "changed organization"), but leave those fields as they were: re-indexing every
/// dataset of an organization for them made a member_create cost as much as a rename. A dataset put in or taken
/// out of a group is a change of that dataset in the feed already. One instance per batch of changes.
/// </summary>
public sealed class EmbeddedGroupChanges(CatalogDbContext db)
{
    /// <summary>What datasets copy from their organization and groups (<c>GroupDictizer.EmbeddedOrganization</c>, <c>EmbeddedGroup</c>).</summary>
    private static readonly string[] EmbeddedKeys =
        ["approval_status", "created", "description", "id", "image_url", "is_organization", "name", "state", "title", "type"];

    private readonly Dictionary<string, JsonObject?> _lastSeen = new(StringComparer.Ordinal);

    /// <summary>
    /// True unless both this change's snapshot and the previous one of the same object are readable and agree on
    /// every embedded field: when in doubt (no earlier change, a snapshot without the object), the datasets are re-read.
    /// Changes must be asked about in feed order.
    /// </summary>
    public async Task<bool> ChangedAsync(long seq, string objectType, string objectId, string? data, CancellationToken ct)
    {
        var current = Embedded(data, objectType);
        if (!_lastSeen.TryGetValue(objectId, out var previous))
        {
            var before = await db.Activities.AsNoTracking()
                .Where(a => a.ObjectId == objectId && a.ObjectType == objectType && a.Seq < seq)
                .OrderByDescending(a => a.Seq).Select(a => a.Data).FirstOrDefaultAsync(ct);
            previous = Embedded(before, objectType);
        }
        _lastSeen[objectId] = current;
        return current is null || previous is null || !JsonNode.DeepEquals(current, previous);
    }

    private static JsonObject? Embedded(string? data, string objectType)
    {
        if (string.IsNullOrEmpty(data)) return null;
        try
        {
            if (JsonNode.Parse(data) is not JsonObject { } root || root[objectType] is not JsonObject snapshot) return null;
            var embedded = new JsonObject();
            foreach (var key in EmbeddedKeys) embedded[key] = snapshot[key]?.DeepClone();
            return embedded;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
