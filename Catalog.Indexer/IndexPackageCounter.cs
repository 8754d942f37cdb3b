using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Indexer.Querying;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Indexer;

/// <summary>
/// package_count from the index: one facet count over owner_org and group ids of the datasets the caller may see
/// (the same rule as <see cref="StorePackageCounter"/>), remembered by the result cache until the next write.
/// Inside a write (group_create returning its dict) the store is ahead of the index, which is updated only after
/// the commit, so the store counts there.
/// </summary>
public sealed class IndexPackageCounter(Searcher searcher) : IPackageCounter
{
    private static readonly IReadOnlyList<string> CountedFields = [IndexFields.OwnerOrg, IndexFields.GroupIds];
    private static readonly StorePackageCounter Store = new();

    public async Task<Dictionary<string, int>> CountAsync(ActionContext ctx, IReadOnlyCollection<string> groupIds)
    {
        if (ctx.Db.Database.CurrentTransaction is not null) return await Store.CountAsync(ctx, groupIds);
        var visibility = await ReadableVisibility.ForAsync(ctx);
        var found = searcher.Search(new SearchRequest
        {
            Rows = 0, FacetFields = CountedFields, FacetLimit = -1, FacetMinCount = 1, Visibility = visibility,
        });
        var wanted = groupIds as IReadOnlySet<string> ?? groupIds.ToHashSet(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var field in CountedFields)
            foreach (var value in found.Facets.GetValueOrDefault(field) ?? [])
                if (wanted.Contains(value.Name)) counts[value.Name] = counts.GetValueOrDefault(value.Name) + value.Count;
        return counts;
    }
}
