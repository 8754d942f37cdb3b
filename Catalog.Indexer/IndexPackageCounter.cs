using Catalog.Core.Actions;
using Catalog.Core.Auth;
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
        var caller = ctx.Caller;
        SearchVisibility visibility;
        if (caller.IsSysadmin)
        {
            visibility = new SearchVisibility(true, [], null, IncludePrivate: true, IncludeDrafts: false);
        }
        else
        {
            // Unlike package_search, no creator label: a count covers active datasets of organizations, as the store's does.
            var labels = new List<string> { "public" };
            if (caller.UserId is not null)
                foreach (var org in await ctx.Authz.GroupsWithPermissionAsync(Roles.Permission.Read, ctx.CancellationToken))
                    labels.Add($"member-{org}");
            visibility = new SearchVisibility(false, labels, null, IncludePrivate: true, IncludeDrafts: false);
        }
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
