using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// package_collaborator_*: users given a role on one dataset (CKAN 2.9+), behind
/// <see cref="AuthOptions.AllowDatasetCollaborators"/>. What a role allows is decided by Core's one visibility rule
/// and the authorizer, not here.
/// </summary>
public static class Collaborators
{
    public static ActionRegistry AddCollaboratorActions(this ActionRegistry r) => r
        .Write("package_collaborator_create", CollaboratorAuth.Manage("add collaborators to this dataset"), Create,
            "Make a user a collaborator on a dataset, or change their role if they already are one. Organization admins of\n" +
            "the dataset (or its creator, without organization, or its admin collaborators) may call it.\n\n" +
            ":param id: the id or name of the dataset\n:param user_id: the id or name of the user\n" +
            ":param capacity: \"member\" (reads the dataset while private) or \"editor\" (also edits it); \"admin\" too when\n" +
            "Catalog:Auth:AllowAdminCollaborators is on\n\nReturns the collaborator: package_id, user_id, capacity, modified.")
        .Write("package_collaborator_delete", CollaboratorAuth.Manage("remove collaborators from this dataset"), Delete,
            "Remove a collaborator from a dataset.\n\n:param id: the id or name of the dataset\n:param user_id: the id or name of the user")
        .Read("package_collaborator_list", CollaboratorAuth.Manage("list collaborators from this dataset"), List,
            "Return the collaborators of a dataset (to whoever may manage them).\n\n:param id: the id or name of the dataset\n" +
            ":param capacity: (optional) only collaborators with this role\n\nReturns a list of {package_id, user_id, capacity, modified}.")
        .Read("package_collaborator_list_for_user", CollaboratorAuth.ListForUser, ListForUser,
            "Return the datasets a user collaborates on (to that user and sysadmins).\n\n:param id: the id or name of the user\n" +
            ":param capacity: (optional) only datasets where the user has this role\n\nReturns a list of {package_id, capacity, modified}.");

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var ct = ctx.CancellationToken;
        var options = RequireEnabled(ctx);
        var userRef = DataDict.Require(d, "user_id");
        var capacity = DataDict.Require(d, "capacity");
        if (!options.CollaboratorCapacities.Contains(capacity))
            throw new ValidationException(new JsonObject { ["message"] = $"Role must be one of \"{string.Join(", ", options.CollaboratorCapacities)}\"" });
        var p = await CollaboratorAuth.FindPackageAsync(ctx, DataDict.Require(d, "id"));
        var user = await FindUserAsync(ctx, userRef);

        var row = await ctx.Db.PackageMembers.FindAsync([p.Id, user.Id], ct);
        if (row is null)
            ctx.Db.PackageMembers.Add(row = new PackageMember { PackageId = p.Id, UserId = user.Id, Capacity = capacity });
        row.Capacity = capacity;
        row.Modified = ctx.Now;
        await ctx.Db.SaveChangesAsync(ct);
        return Dictize(row);
    }

    private static async Task<JsonNode?> Delete(ActionContext ctx, JsonObject d)
    {
        var ct = ctx.CancellationToken;
        RequireEnabled(ctx);
        var p = await CollaboratorAuth.FindPackageAsync(ctx, DataDict.Require(d, "id"));
        var userRef = DataDict.Require(d, "user_id");
        var user = await FindUserAsync(ctx, userRef);
        var row = await ctx.Db.PackageMembers.FindAsync([p.Id, user.Id], ct)
            ?? throw new NotFoundException($"User {userRef} is not a collaborator on this package");
        ctx.Db.PackageMembers.Remove(row);
        await ctx.Db.SaveChangesAsync(ct);
        return null;
    }

    private static async Task<JsonNode?> List(ActionContext ctx, JsonObject d)
    {
        var options = RequireEnabled(ctx);
        var p = await CollaboratorAuth.FindPackageAsync(ctx, DataDict.Require(d, "id"));
        var capacity = Capacity(d, options);
        var rows = await ctx.Db.PackageMembers.AsNoTracking()
            .Where(m => m.PackageId == p.Id && (capacity == null || m.Capacity == capacity))
            .OrderBy(m => m.Modified).ThenBy(m => m.UserId).ToListAsync(ctx.CancellationToken);
        return new JsonArray(rows.Select(m => (JsonNode?)Dictize(m)).ToArray());
    }

    private static async Task<JsonNode?> ListForUser(ActionContext ctx, JsonObject d)
    {
        var options = RequireEnabled(ctx);
        // CKAN answers an unknown user with an Authorization Error, never saying whether the account exists.
        var user = await UserLookup.FindAsync(ctx.Db, DataDict.Require(d, "id"), ctx.CancellationToken, tracking: false)
            ?? throw new NotAuthorizedException("Not allowed to retrieve collaborators");
        var capacity = Capacity(d, options);
        var rows = await ctx.Db.PackageMembers.AsNoTracking()
            .Where(m => m.UserId == user.Id && (capacity == null || m.Capacity == capacity))
            .OrderBy(m => m.Modified).ThenBy(m => m.PackageId).ToListAsync(ctx.CancellationToken);
        return new JsonArray(rows.Select(m => (JsonNode?)new JsonObject
        {
            ["package_id"] = m.PackageId,
            ["capacity"] = m.Capacity,
            ["modified"] = Timestamps.Format(m.Modified),
        }).ToArray());
    }

    /// <summary>CKAN's member_dictize of a package_member row.</summary>
    public static JsonObject Dictize(PackageMember m) => new()
    {
        ["package_id"] = m.PackageId,
        ["user_id"] = m.UserId,
        ["capacity"] = m.Capacity,
        ["modified"] = Timestamps.Format(m.Modified),
    };

    private static AuthOptions RequireEnabled(ActionContext ctx)
    {
        var options = ctx.Authz.Options;
        return options.AllowDatasetCollaborators ? options
            : throw new ValidationException(new JsonObject { ["message"] = "Dataset collaborators not enabled" });
    }

    private static string? Capacity(JsonObject d, AuthOptions options)
    {
        var capacity = DataDict.String(d, "capacity") is { Length: > 0 } c ? c : null;
        if (capacity is not null && !options.CollaboratorCapacities.Contains(capacity))
            throw new ValidationException(new JsonObject { ["message"] = $"Capacity must be one of \"{string.Join(", ", options.CollaboratorCapacities)}\"" });
        return capacity;
    }

    /// <summary>Deleted accounts cannot collaborate: they would never authenticate.</summary>
    private static async Task<User> FindUserAsync(ActionContext ctx, string idOrName) =>
        await UserLookup.FindAsync(ctx.Db, idOrName, ctx.CancellationToken, tracking: false) is { } u && u.State != ObjectState.Deleted
            ? u : throw new NotFoundException("User not found");
}
