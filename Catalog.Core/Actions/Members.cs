using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>Memberships: users (with a role) in organizations and groups, datasets in groups.</summary>
public static class Members
{
    private static readonly GroupKind Org = GroupKind.Organization;
    private static readonly GroupKind Grp = GroupKind.Group;

    public static ActionRegistry AddMemberActions(this ActionRegistry r) => r
        .Read("member_list", AuthRules.Anyone, List,
            "Return the members of an organization or group as [id, type, capacity] triples.\n\n:param id: the id or name of the organization or group\n:param object_type: (optional) \"user\" or \"package\"\n:param capacity: (optional) e.g. \"admin\", \"editor\", \"member\", \"public\"")
        .Read("member_roles_list", AuthRules.Anyone, RolesList,
            "Return the roles members of organizations (admin, editor, member) or groups (admin, member) may have.\n\n:param group_type: (optional, default \"organization\") \"organization\" or \"group\"\n\nReturns a list of {text, value}.")
        .Write("member_create", GroupAuth.Member, Create,
            "Make a user or a dataset a member of an organization or group; an existing membership gets the new capacity.\nDatasets join groups only (an organization's datasets are those it owns).\n\n:param id: the id or name of the organization or group\n:param object: the id or name of the user or dataset\n:param object_type: \"user\" or \"package\"\n:param capacity: the role for users (member, editor, admin), e.g. \"public\" for datasets",
            GroupSchemas.MemberCreate)
        .Write("member_delete", GroupAuth.Member, Delete,
            "Remove a user or a dataset from an organization or group.\n\n:param id: the id or name of the organization or group\n:param object: the id or name of the user or dataset\n:param object_type: \"user\" or \"package\"",
            GroupSchemas.MemberDelete)
        .Write("organization_member_create", GroupAuth.Membership(Org), UserCreate(Org),
            "Make a user a member of an organization, or change their role.\n\n:param id: the id or name of the organization\n:param username: the name or id of the user\n:param role: member, editor or admin",
            GroupSchemas.UserMemberCreate)
        .Write("organization_member_delete", GroupAuth.Membership(Org), UserDelete(Org),
            "Remove a user from an organization.\n\n:param id: the id or name of the organization\n:param username: the name or id of the user (or user_id)")
        .Write("group_member_create", GroupAuth.Membership(Grp), UserCreate(Grp),
            "Make a user a member of a group, or change their role.\n\n:param id: the id or name of the group\n:param username: the name or id of the user\n:param role: member, editor or admin",
            GroupSchemas.UserMemberCreate)
        .Write("group_member_delete", GroupAuth.Membership(Grp), UserDelete(Grp),
            "Remove a user from a group.\n\n:param id: the id or name of the group\n:param username: the name or id of the user (or user_id)");

    /// <summary>CKAN shows roles by their display names here (authz.roles_trans).</summary>
    private static readonly Dictionary<string, string> RoleTitles = new()
    {
        [Roles.Admin] = "Admin", [Roles.Editor] = "Editor", [Roles.Member] = "Member",
    };

    private static Task<JsonNode?> RolesList(ActionContext ctx, JsonObject d)
    {
        var groupType = DataDict.String(d, "group_type") ?? GroupKind.Organization.Noun;
        if (groupType != GroupKind.Organization.Noun && groupType != GroupKind.Group.Noun)
            throw ValidationException.For("group_type", "Unknown group type: use \"organization\" or \"group\"");
        // Groups have no editors in CKAN: their members add datasets, admins manage them.
        var roles = Roles.All.Reverse().Where(r => groupType == GroupKind.Organization.Noun || r != Roles.Editor);
        return Task.FromResult<JsonNode?>(new JsonArray(roles
            .Select(r => (JsonNode?)new JsonObject { ["text"] = RoleTitles[r], ["value"] = r }).ToArray()));
    }

    /// <summary>
    /// Readable like *_show. Datasets are listed only when the caller may see them; an organization's datasets are
    /// the ones it owns, in capacity "organization" as CKAN records them.
    /// </summary>
    private static async Task<JsonNode?> List(ActionContext ctx, JsonObject d)
    {
        var ct = ctx.CancellationToken;
        var g = await AnyGroupAsync(ctx, DataDict.Require(d, "id"));
        await GroupLookup.ReadableAsync(ctx, g.Id, GroupKind.Of(g.IsOrganization));
        var objectType = DataDict.String(d, "object_type") is { Length: > 0 } t ? t : null;
        var capacity = DataDict.String(d, "capacity") is { Length: > 0 } c ? c : null;

        var found = new List<(string Id, string Type, string Capacity)>();
        if (objectType is null or Memberships.User)
            found.AddRange((await ctx.Db.Members.AsNoTracking()
                    .Where(m => m.GroupId == g.Id && m.TableName == Memberships.User && m.State == ObjectState.Active)
                    .Select(m => new { m.TableId, m.Capacity }).ToListAsync(ct))
                .Select(m => (m.TableId, Memberships.User, m.Capacity)));
        if (objectType is null or Memberships.Package)
        {
            var visible = await Visibility.ReadableActiveAsync(ctx);
            var packages = g.IsOrganization
                ? visible.Where(p => p.OwnerOrgId == g.Id).Select(p => new { p.Id, Capacity = "organization" })
                : ctx.Db.Members.Where(m => m.GroupId == g.Id && m.TableName == Memberships.Package && m.State == ObjectState.Active)
                    .Join(visible, m => m.TableId, p => p.Id, (m, p) => new { p.Id, m.Capacity });
            found.AddRange((await packages.ToListAsync(ct)).Select(p => (p.Id, Memberships.Package, p.Capacity)));
        }
        return new JsonArray(found
            .Where(m => capacity is null || m.Capacity == capacity)
            .OrderBy(m => m.Type, StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => (JsonNode?)new JsonArray(m.Id, m.Type, RoleTitles.GetValueOrDefault(m.Capacity, m.Capacity)))
            .ToArray());
    }

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var g = await AnyGroupAsync(ctx, DataDict.Require(d, "id"));
        var capacity = DataDict.Require(d, "capacity");
        var objectRef = DataDict.Require(d, "object");
        if (DataDict.Require(d, "object_type") == Memberships.User)
            return await SetUserAsync(ctx, g, await UserAsync(ctx, objectRef), capacity);

        if (g.IsOrganization)
            throw ValidationException.For("object_type", "Datasets belong to an organization through their owner_org, not as members");
        var p = await ReadablePackageAsync(ctx, objectRef);
        await Memberships.SetAsync(ctx, g.Id, Memberships.Package, p.Id, capacity);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        await Memberships.PackageChangedAsync(ctx, p.Id);
        return await RecordAsync(ctx, g, Memberships.Package, p.Id);
    }

    private static async Task<JsonNode?> Delete(ActionContext ctx, JsonObject d)
    {
        var g = await AnyGroupAsync(ctx, DataDict.Require(d, "id"));
        var objectRef = DataDict.Require(d, "object");
        if (DataDict.Require(d, "object_type") == Memberships.User)
            return await RemoveUserAsync(ctx, g, await UserAsync(ctx, objectRef));

        var p = await ReadablePackageAsync(ctx, objectRef);
        if (await Memberships.RemoveAsync(ctx, g.Id, Memberships.Package, p.Id))
        {
            await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
            await Memberships.PackageChangedAsync(ctx, p.Id);
            await RecordAsync(ctx, g, Memberships.Package, p.Id);
        }
        return null;
    }

    /// <summary>organization_member_create / group_member_create: member_create for a user given by name.</summary>
    private static ActionHandler UserCreate(GroupKind kind) => async (ctx, d) =>
    {
        var g = await GroupLookup.RequireAsync(ctx, DataDict.Require(d, "id"), kind);
        var username = DataDict.Require(d, "username");
        var user = await FindUserAsync(ctx, username) ?? throw ValidationException.For("username", "Not found: User");
        return await SetUserAsync(ctx, g, user, DataDict.Require(d, "role"));
    };

    private static ActionHandler UserDelete(GroupKind kind) => async (ctx, d) =>
    {
        var g = await GroupLookup.RequireAsync(ctx, DataDict.Require(d, "id"), kind);
        var username = DataDict.String(d, "username") is { Length: > 0 } u ? u : DataDict.Require(d, "user_id");
        return await RemoveUserAsync(ctx, g, await UserAsync(ctx, username));
    };

    private static async Task<JsonNode?> SetUserAsync(ActionContext ctx, Group g, User user, string role)
    {
        if (!Roles.All.Contains(role)) throw ValidationException.For("capacity", GroupSchemas.UnknownRole);
        var current = await Memberships.FindAsync(ctx, g.Id, Memberships.User, user.Id);
        // As in CKAN: otherwise an admin could leave a group nobody but sysadmins can manage.
        if (user.Id == ctx.Caller.UserId && current is { State: ObjectState.Active, Capacity: Roles.Admin } && role != Roles.Admin)
            throw new NotAuthorizedException("Administrators cannot revoke their own admin status");
        await Memberships.SetAsync(ctx, g.Id, Memberships.User, user.Id, role);
        ctx.Authz.Forget();
        return await RecordAsync(ctx, g, Memberships.User, user.Id);
    }

    private static async Task<JsonNode?> RemoveUserAsync(ActionContext ctx, Group g, User user)
    {
        if (await Memberships.RemoveAsync(ctx, g.Id, Memberships.User, user.Id))
        {
            ctx.Authz.Forget();
            await RecordAsync(ctx, g, Memberships.User, user.Id);
        }
        return null;
    }

    /// <summary>A membership change is a change of the organization or group; returns CKAN's member dict.</summary>
    private static async Task<JsonObject> RecordAsync(ActionContext ctx, Group g, string tableName, string tableId)
    {
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        var kind = GroupKind.Of(g.IsOrganization);
        ActivityLog.Record(ctx, kind.Noun, g.Id, $"changed {kind.Noun}", await GroupLookup.DictizeAsync(ctx, g, GroupDictOptions.Snapshot));
        var m = await Memberships.FindAsync(ctx, g.Id, tableName, tableId);
        return new JsonObject
        {
            ["capacity"] = m?.Capacity,
            ["group_id"] = g.Id,
            ["id"] = m?.Id,
            ["state"] = m?.State ?? ObjectState.Deleted,
            ["table_id"] = tableId,
            ["table_name"] = tableName,
        };
    }

    private static async Task<Group> AnyGroupAsync(ActionContext ctx, string idOrName) =>
        await ctx.Db.Groups.Include(g => g.Extras).Named(idOrName).FirstOrDefaultAsync(ctx.CancellationToken)
        ?? throw new NotFoundException("Group was not found.");

    private static Task<User?> FindUserAsync(ActionContext ctx, string idOrName) =>
        ctx.Db.Users.AsNoTracking().Named(idOrName).FirstOrDefaultAsync(u => u.State != ObjectState.Deleted, ctx.CancellationToken);

    private static async Task<User> UserAsync(ActionContext ctx, string idOrName) =>
        await FindUserAsync(ctx, idOrName) ?? throw new NotFoundException("User was not found.");

    /// <summary>A dataset may be put in (or taken out of) a group only by someone who can see it.</summary>
    private static async Task<Package> ReadablePackageAsync(ActionContext ctx, string idOrName)
    {
        var p = await ctx.Db.Packages.AsNoTracking().Named(idOrName).FirstOrDefaultAsync(x => x.State != ObjectState.Deleted, ctx.CancellationToken)
            ?? throw new NotFoundException("Package was not found.");
        if (!await ctx.Authz.CanReadPackageAsync(p, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"read package {p.Id}");
        return p;
    }
}
