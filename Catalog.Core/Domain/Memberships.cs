using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>
/// Member rows, one per (group, object): a row left in another state by an earlier change is reused rather than
/// duplicated, since the pair is unique in the store.
/// </summary>
internal static class Memberships
{
    public const string User = "user";
    public const string Package = "package";

    public static async Task SetAsync(ActionContext ctx, string groupId, string tableName, string tableId, string capacity)
    {
        var m = await FindAsync(ctx, groupId, tableName, tableId);
        if (m is null)
        {
            ctx.Db.Members.Add(new Member
            {
                Id = Guid.NewGuid().ToString(), GroupId = groupId, TableName = tableName, TableId = tableId, Capacity = capacity,
            });
            return;
        }
        if (ctx.Db.Entry(m).State == EntityState.Deleted) ctx.Db.Entry(m).State = EntityState.Modified;
        m.Capacity = capacity;
        m.State = ObjectState.Active;
    }

    /// <summary>True when there was an active membership to end.</summary>
    public static async Task<bool> RemoveAsync(ActionContext ctx, string groupId, string tableName, string tableId)
    {
        var m = await FindAsync(ctx, groupId, tableName, tableId);
        if (m is null || ctx.Db.Entry(m).State == EntityState.Deleted) return false;
        ctx.Db.Members.Remove(m);
        return m.State == ObjectState.Active;
    }

    public static Task<Member?> FindAsync(ActionContext ctx, string groupId, string tableName, string tableId) =>
        ctx.Db.Members.FirstOrDefaultAsync(m => m.GroupId == groupId && m.TableName == tableName && m.TableId == tableId, ctx.CancellationToken);

    /// <summary>A dataset's groups changed, so its dict did: it moves in the change feed like any other edit of it.</summary>
    public static async Task PackageChangedAsync(ActionContext ctx, string packageId)
    {
        var p = await PackageLookup.FindAsync(ctx.Db, packageId, ctx.CancellationToken);
        if (p is null || p.State == ObjectState.Deleted) return;
        p.MetadataModified = ctx.Now;
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        await ActivityLog.RecordPackageAsync(ctx, p, "changed package");
    }
}
