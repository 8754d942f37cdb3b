using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>group_* actions; the handlers are shared with organizations (<see cref="GroupAndOrganizationHandlers"/>).</summary>
public static class Groups
{
    private static readonly GroupKind Kind = GroupKind.Group;

    public static ActionRegistry AddGroupActions(this ActionRegistry r) => r
        .Read("group_list", AuthRules.Anyone, GroupAndOrganizationHandlers.List(Kind),
            "Return the names of the active groups, or their dicts with all_fields.\n\n:param sort: (optional, default \"title asc\") name, title or package_count, then asc or desc\n:param limit: (optional, at most 1000, or 25 with all_fields)\n:param offset: (optional)\n:param q: (optional) text in the name, title or description\n:param groups: (optional) only these names\n:param all_fields: (optional, default false)\n:param include_dataset_count: (optional, default true)\n:param include_extras: (optional, default false)\n:param include_users: (optional, default false)\n:param type: (optional, default \"group\")")
        .Read("group_show", AuthRules.Anyone, GroupAndOrganizationHandlers.Show(Kind),
            "Return the dict of a group.\n\n:param id: the id or name of the group\n:param include_datasets: (optional, default false) up to 10 of its datasets\n:param include_dataset_count: (optional, default true)\n:param include_extras: (optional, default true)\n:param include_users: (optional, default true)")
        .Read("group_autocomplete", AuthRules.Anyone, GroupAndOrganizationHandlers.Autocomplete(Kind),
            "Return the active groups whose name or title contains q.\n\n:param q: the text to look for\n:param limit: (optional, default 20)\n\nReturns a list of {id, name, title}.")
        .Read("group_package_show", AuthRules.Anyone, GroupAndOrganizationHandlers.PackageShow,
            "Return the datasets of a group (or organization) the caller may read, most recently modified first.\n\n:param id: the id or name of the group\n:param limit: (optional, default and at most 1000)")
        .Read("group_list_authz", AuthRules.Anyone, ListAuthz,
            "Return the groups the caller may add datasets to (sysadmins: all).\n\n:param am_member: (optional, default false) only groups the caller is a member of")
        .Write("group_create", GroupAuth.Create(Kind), GroupAndOrganizationHandlers.Create(Kind),
            "Create a group; its creator becomes an admin of it. Only name is required.\n\n:param name: 2-100 characters, lowercase letters, digits, - and _\n:param title: (optional)\n:param description: (optional)\n:param image_url: (optional)\n:param extras: (optional) [{key, value}]\n:param users: (optional) [{name, capacity}]\n:param packages: (optional) [{name}] datasets to put in the group\n\nReturns the group's dict.",
            GroupSchemas.Create)
        .Write("group_update", GroupAuth.Update(Kind), GroupAndOrganizationHandlers.Update(Kind),
            "Update a group: the given dict replaces its fields and extras; members are replaced when users is given.\nDatasets join and leave with member_create and member_delete.\n\n:param id: the id or name of the group",
            GroupSchemas.Update)
        .Write("group_patch", GroupAuth.Update(Kind), GroupAndOrganizationHandlers.Patch(Kind),
            "Patch a group: only the given keys change.\n\n:param id: the id or name of the group")
        .Write("group_purge", AuthRules.Sysadmin, GroupAndOrganizationHandlers.Purge(Kind),
            "Purge a group for ever with its memberships; its datasets stay. Sysadmins only.\n\n:param id: the id or name of the group")
        .Write("group_delete", GroupAuth.Delete(Kind), GroupAndOrganizationHandlers.Delete(Kind),
            "Delete a group (its state becomes deleted; its datasets and users stop being members).\n\n:param id: the id or name of the group");

    private static async Task<JsonNode?> ListAuthz(ActionContext ctx, JsonObject d)
    {
        if (ctx.Caller.UserId is not { } callerId) return new JsonArray();
        var user = await ctx.Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == callerId, ctx.CancellationToken);
        if (user is null) return new JsonArray();
        var groups = await GroupAndOrganizationHandlers.WithPermissionAsync(ctx, user, Kind, Roles.Permission.ManageGroup,
            membershipsOnly: DataDict.Bool(d, "am_member", false));
        return await GroupAndOrganizationHandlers.ListDictsAsync(ctx, groups.Select(g => (g.Group, (string?)null)),
            DataDict.Bool(d, "include_dataset_count", false));
    }
}
