using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>
/// How many datasets of each organization or group the caller may see: the <c>package_count</c> of
/// organization_list, group_list and their _show actions. Active datasets only; private ones for members of their
/// organization and for sysadmins.
/// </summary>
public interface IPackageCounter
{
    Task<Dictionary<string, int>> CountAsync(ActionContext ctx, IReadOnlyCollection<string> groupIds);
}

/// <summary>Counts in the store. Used when no search index is configured; the index's counts must equal these.</summary>
public sealed class StorePackageCounter : IPackageCounter
{
    public async Task<Dictionary<string, int>> CountAsync(ActionContext ctx, IReadOnlyCollection<string> groupIds)
    {
        var ct = ctx.CancellationToken;
        var visible = await Visibility.ReadableActiveAsync(ctx);
        var owned = await visible.Where(p => p.OwnerOrgId != null && groupIds.Contains(p.OwnerOrgId))
            .GroupBy(p => p.OwnerOrgId!).Select(x => new { x.Key, Count = x.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var joined = await ctx.Db.Members
            .Where(m => m.TableName == "package" && m.State == ObjectState.Active && groupIds.Contains(m.GroupId))
            .Join(visible, m => m.TableId, p => p.Id, (m, p) => m.GroupId)
            .GroupBy(id => id).Select(x => new { x.Key, Count = x.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        foreach (var (id, count) in joined) owned[id] = owned.GetValueOrDefault(id) + count;
        return owned;
    }
}
