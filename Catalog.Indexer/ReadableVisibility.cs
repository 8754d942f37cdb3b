using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Indexer.Querying;

namespace Catalog.Indexer;

/// <summary>
/// The index's form of <c>ReadableDatasets.ActiveAsync</c>: active datasets, public ones for everyone, private ones
/// for members of their organization, all for sysadmins; no drafts, and no creator label (lists built from it cover
/// organizations' datasets, as the store's do).
/// </summary>
public static class ReadableVisibility
{
    public static async Task<SearchVisibility> ForAsync(ActionContext ctx)
    {
        if (ctx.Caller.IsSysadmin) return new SearchVisibility(true, [], null, IncludePrivate: true, IncludeDrafts: false);
        var labels = new List<string> { "public" };
        if (ctx.Caller.UserId is not null)
            foreach (var org in await ctx.Authz.GroupsWithPermissionAsync(Roles.Permission.Read, ctx.CancellationToken))
                labels.Add($"member-{org}");
        return new SearchVisibility(false, labels, null, IncludePrivate: true, IncludeDrafts: false);
    }
}
