using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Auth;

/// <summary>Answers "may the caller do X here" from memberships; one per action call, roles cached.</summary>
/// <param name="db">The call's store context, asked for only when roles are first needed.</param>
public sealed class Authorizer(Caller caller, Func<CatalogDbContext> db)
{
    public Authorizer(Caller caller, CatalogDbContext db) : this(caller, () => db) { }

    private Dictionary<string, string>? _roles;

    public Caller Caller => caller;

    /// <summary>The caller's role in each group and organization they belong to.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RolesAsync(CancellationToken ct = default)
    {
        if (_roles is not null) return _roles;
        if (caller.UserId is null) return _roles = [];
        _roles = await db().Members.AsNoTracking()
            .Where(m => m.TableName == "user" && m.TableId == caller.UserId && m.State == ObjectState.Active)
            .ToDictionaryAsync(m => m.GroupId, m => m.Capacity, ct);
        return _roles;
    }

    public void Forget() => _roles = null;

    public async Task<string?> RoleInAsync(string groupId, CancellationToken ct = default) =>
        (await RolesAsync(ct)).GetValueOrDefault(groupId);

    public async Task<bool> HasPermissionAsync(string? groupId, string permission, CancellationToken ct = default)
    {
        if (caller.IsSysadmin) return true;
        if (groupId is null) return false;
        return await RoleInAsync(groupId, ct) is { } role && Roles.Allows(role, permission);
    }

    /// <summary>Organizations in which the caller has <paramref name="permission"/>.</summary>
    public async Task<IReadOnlyList<string>> GroupsWithPermissionAsync(string permission, CancellationToken ct = default) =>
        (await RolesAsync(ct)).Where(kv => Roles.Allows(kv.Value, permission)).Select(kv => kv.Key).ToList();

    /// <summary>The caller as a reader of datasets (<see cref="Visibility"/>).</summary>
    public Task<Visibility.Reader> ReaderAsync(CancellationToken ct = default) => Visibility.ReaderAsync(this, ct);

    /// <summary>May the caller read this dataset: <see cref="Visibility"/>'s rule, without a look-up for public ones.</summary>
    public async Task<bool> CanReadPackageAsync(Package p, CancellationToken ct = default) =>
        (p.State == ObjectState.Active && !p.Private) || Visibility.CanRead(await ReaderAsync(ct), p);

    /// <summary>A dataset permission: through its organization, or for the creator of a dataset without one.</summary>
    public async Task<bool> HasPackagePermissionAsync(Package p, string permission, CancellationToken ct = default)
    {
        if (caller.IsSysadmin) return true;
        if (caller.UserId is null) return false;
        if (p.OwnerOrgId is null) return p.CreatorUserId == caller.UserId;
        return await HasPermissionAsync(p.OwnerOrgId, permission, ct);
    }
}
