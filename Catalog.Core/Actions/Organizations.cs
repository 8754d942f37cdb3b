using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>organization_* actions; the handlers are shared with groups (<see cref="GroupAndOrganizationHandlers"/>).</summary>
public static class Organizations
{
    private static readonly GroupKind Kind = GroupKind.Organization;

    public static ActionRegistry AddOrganizationActions(this ActionRegistry r) => r
        .Read("organization_list", AuthRules.Anyone, GroupAndOrganizationHandlers.List(Kind),
            "Return the names of the active organizations, or their dicts with all_fields.\n\n:param sort: (optional, default \"title asc\") name, title or package_count, then asc or desc\n:param limit: (optional, at most 1000, or 25 with all_fields)\n:param offset: (optional)\n:param q: (optional) text in the name, title or description\n:param organizations: (optional) only these names\n:param all_fields: (optional, default false)\n:param include_dataset_count: (optional, default true)\n:param include_extras: (optional, default false)\n:param include_users: (optional, default false)\n:param type: (optional, default \"organization\")")
        .Read("organization_show", AuthRules.Anyone, GroupAndOrganizationHandlers.Show(Kind),
            "Return the dict of an organization.\n\n:param id: the id or name of the organization\n:param include_datasets: (optional, default false) up to 10 of its datasets\n:param include_dataset_count: (optional, default true)\n:param include_extras: (optional, default true)\n:param include_users: (optional, default true)")
        .Read("organization_autocomplete", AuthRules.Anyone, GroupAndOrganizationHandlers.Autocomplete(Kind),
            "Return the active organizations whose name or title contains q.\n\n:param q: the text to look for\n:param limit: (optional, default 20)\n\nReturns a list of {id, name, title}.")
        .Read("organization_list_for_user", AuthRules.Anyone, ListForUser,
            "Return the organizations in which a user has a permission, each with the user's role as capacity.\n\n:param id: (optional, default the caller) the id or name of the user\n:param permission: (optional, default \"manage_group\") e.g. \"read\", \"create_dataset\", \"admin\"\n:param include_dataset_count: (optional, default false)")
        .Write("organization_create", GroupAuth.Create(Kind), GroupAndOrganizationHandlers.Create(Kind),
            "Create an organization; its creator becomes an admin of it. Only name is required.\n\n:param name: 2-100 characters, lowercase letters, digits, - and _\n:param title: (optional)\n:param description: (optional)\n:param image_url: (optional)\n:param extras: (optional) [{key, value}]\n:param users: (optional) [{name, capacity}]\n\nReturns the organization's dict.",
            GroupSchemas.Create)
        .Write("organization_update", GroupAuth.Update(Kind), GroupAndOrganizationHandlers.Update(Kind),
            "Update an organization: the given dict replaces its fields and extras; members are replaced when users is given.\n\n:param id: the id or name of the organization",
            GroupSchemas.Update)
        .Write("organization_patch", GroupAuth.Update(Kind), GroupAndOrganizationHandlers.Patch(Kind),
            "Patch an organization: only the given keys change.\n\n:param id: the id or name of the organization")
        .Write("organization_purge", AuthRules.Sysadmin, GroupAndOrganizationHandlers.Purge(Kind),
            "Purge a organization for ever with its memberships; its datasets stay, in no organization. Sysadmins only.\n\n:param id: the id or name of the organization")
        .Write("organization_delete", GroupAuth.Delete(Kind), GroupAndOrganizationHandlers.Delete(Kind),
            "Delete an organization (its state becomes deleted and its memberships end). Refused while it still has datasets.\n\n:param id: the id or name of the organization");

    private static async Task<JsonNode?> ListForUser(ActionContext ctx, JsonObject d)
    {
        var ct = ctx.CancellationToken;
        User? user;
        if (DataDict.String(d, "id") is { Length: > 0 } userRef)
            user = await ctx.Db.Users.AsNoTracking().Named(userRef).FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException("User not found");
        else if (ctx.Caller.UserId is { } callerId)
            user = await ctx.Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == callerId, ct);
        else return new JsonArray();
        if (user is not { State: ObjectState.Active }) return new JsonArray();

        var permission = DataDict.String(d, "permission") is { Length: > 0 } p ? p : Roles.Permission.ManageGroup;
        var orgs = await GroupAndOrganizationHandlers.WithPermissionAsync(ctx, user, Kind, permission);
        return await GroupAndOrganizationHandlers.ListDictsAsync(ctx, orgs.Select(o => (o.Group, (string?)o.Role)),
            DataDict.Bool(d, "include_dataset_count", false));
    }
}
