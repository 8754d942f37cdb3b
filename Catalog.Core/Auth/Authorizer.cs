using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Auth;

/// <summary>Answers "may the caller do X here" from memberships; one per action call, roles cached.</summary>
/// <param name="db">The call's store context, asked for only when roles are first needed.</param>
/// <param name="options">The <c>ckan.auth.*</c> settings; CKAN's defaults here (collaborators on) when not given.</param>
public sealed class Authorizer(Caller caller, Func<CatalogDbContext> db, AuthOptions? options = null)
{
    public Authorizer(Caller caller, CatalogDbContext db, AuthOptions? options = null) : this(caller, () => db, options) { }

    private Dictionary<string, string>? _roles;
    private Dictionary<string, string>? _collaborations;

    public Caller Caller => caller;

    public AuthOptions Options { get; } = options ?? new AuthOptions();

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

    /// <summary>The caller's role on each dataset they collaborate on (none when collaborators are off).</summary>
    public async Task<IReadOnlyDictionary<string, string>> CollaborationsAsync(CancellationToken ct = default)
    {
        if (_collaborations is not null) return _collaborations;
        if (caller.UserId is null || !Options.AllowDatasetCollaborators) return _collaborations = [];
        _collaborations = await db().PackageMembers.AsNoTracking()
            .Where(m => m.UserId == caller.UserId)
            .ToDictionaryAsync(m => m.PackageId, m => m.Capacity, ct);
        return _collaborations;
    }

    public void Forget() => (_roles, _collaborations) = (null, null);

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

    /// <summary>
    /// A dataset permission: through its organization, or for the creator of a dataset without one; failing those,
    /// through the caller's role as a collaborator on it (CKAN's package_update auth: editors and admins edit).
    /// </summary>
    public async Task<bool> HasPackagePermissionAsync(Package p, string permission, CancellationToken ct = default)
    {
        if (caller.IsSysadmin) return true;
        if (caller.UserId is null) return false;
        var byOwner = p.OwnerOrgId is null ? p.CreatorUserId == caller.UserId : await HasPermissionAsync(p.OwnerOrgId, permission, ct);
        return byOwner || await CollaboratorRoleAsync(p.Id, ct) is { } role && Roles.AllowsCollaborator(role, permission);
    }

    public async Task<string?> CollaboratorRoleAsync(string packageId, CancellationToken ct = default) =>
        (await CollaborationsAsync(ct)).GetValueOrDefault(packageId);

    /// <summary>
    /// CKAN's can_manage_collaborators: the creator of a dataset without organization, an admin of its organization,
    /// or one of its admin collaborators.
    /// </summary>
    public async Task<bool> CanManageCollaboratorsAsync(Package p, CancellationToken ct = default)
    {
        if (caller.IsSysadmin) return true;
        if (caller.UserId is null) return false;
        if (p.OwnerOrgId is null && p.CreatorUserId == caller.UserId) return true;
        if (p.OwnerOrgId is not null && await HasPermissionAsync(p.OwnerOrgId, Roles.Permission.Membership, ct)) return true;
        return Options.AllowAdminCollaborators && await CollaboratorRoleAsync(p.Id, ct) == Roles.Admin;
    }
}
