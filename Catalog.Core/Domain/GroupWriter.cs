using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>
/// Saves a validated organization or group dict (they are one table): the checks that need the store, then fields,
/// extras and members. Shared by *_create, *_update and *_patch; deletion lives here too, since an update may delete.
/// </summary>
internal sealed class GroupWriter(ActionContext ctx, GroupKind kind)
{
    public async Task<Group> SaveAsync(JsonObject d, Group? existing)
    {
        var ct = ctx.CancellationToken;
        var errors = new JsonObject();
        var isNew = existing is null;
        var wasDeleted = existing?.State == ObjectState.Deleted;
        var g = existing ?? new Group { Id = Guid.NewGuid().ToString(), Name = "", IsOrganization = kind.IsOrganization };

        // Names are unique across organizations and groups, deleted ones included (CKAN's group_name_validator).
        var name = Validators.AsString(d["name"]);
        if (name is not null && name != g.Name && await ctx.Db.Groups.AnyAsync(x => x.Name == name && x.Id != g.Id, ct))
            ValidationException.Add(errors, "name", "Group name already exists in database");

        if (isNew && ctx.Caller.IsSysadmin && Validators.AsString(d["id"]) is { } wantedId)
        {
            if (await ctx.Db.Groups.AnyAsync(x => x.Id == wantedId, ct)) ValidationException.Add(errors, "id", "Group id already exists in database");
            else g.Id = wantedId;
        }

        var type = Validators.AsString(d["type"]);
        if (!kind.IsOrganization && type == GroupKind.Organization.Noun)
            ValidationException.Add(errors, "type", "Trying to create an organization as a group");

        var users = d["users"] is JsonArray userRefs ? await ResolveUsersAsync(userRefs, errors) : null;
        // Datasets join at creation only; afterwards member_create and member_delete move them one at a time.
        var packages = isNew && !kind.IsOrganization && d["packages"] is JsonArray packageRefs
            ? await ResolvePackagesAsync(packageRefs, errors) : [];

        if (errors.Count > 0) throw new ValidationException(errors);

        if (isNew)
        {
            g.Created = ctx.Now;
            g.Type = type ?? kind.DefaultType;
            ctx.Db.Groups.Add(g);
        }
        else if (type is not null) g.Type = type;

        if (name is not null) g.Name = name;
        g.Title = Validators.AsString(d["title"]) ?? "";
        g.Description = Validators.AsString(d["description"]) ?? "";
        g.ImageUrl = Validators.AsString(d["image_url"]) ?? "";
        if (Validators.AsString(d["approval_status"]) is { } approval) g.ApprovalStatus = approval;
        if (Validators.AsString(d["state"]) is { } state) g.State = state;
        ExtrasSync.Apply(g.Extras, d, (key, value) => new GroupExtra { GroupId = g.Id, Key = key, Value = value });

        if (users is not null) await SaveUsersAsync(g, users);
        // The creator administers what they created (CKAN adds them after the given users, overriding their role).
        if (isNew && ctx.Caller.UserId is { } creator)
            await Memberships.SetAsync(ctx, g.Id, Memberships.User, creator, Roles.Admin);
        foreach (var p in packages)
            await Memberships.SetAsync(ctx, g.Id, Memberships.Package, p.Id, "public");

        await ctx.Db.SaveChangesAsync(ct);
        foreach (var p in packages) await Memberships.PackageChangedAsync(ctx, p.Id);
        if (!isNew && !wasDeleted && g.State == ObjectState.Deleted) await DetachAsync(g);
        ctx.Authz.Forget();
        return g;
    }

    /// <summary>
    /// A soft delete: the state becomes deleted and every membership ends (CKAN's _group_or_org_delete).
    /// An organization still owning datasets cannot go, since they would be left without one.
    /// </summary>
    public async Task DeleteAsync(Group g)
    {
        g.State = ObjectState.Deleted;
        await DetachAsync(g);
        ctx.Authz.Forget();
    }

    /// <summary>
    /// CKAN's group_purge / organization_purge: the group goes for ever with its memberships, extras and followers; an
    /// organization's datasets stay, owned by no organization (as CKAN), each recorded as changed so the index follows.
    /// </summary>
    public async Task PurgeAsync(Group g)
    {
        var ct = ctx.CancellationToken;
        if (g.IsOrganization)
        {
            var owned = await ctx.Db.Packages.Where(p => p.OwnerOrgId == g.Id).Select(p => p.Id).ToListAsync(ct);
            foreach (var id in owned)
            {
                var p = await PackageLookup.FindAsync(ctx.Db, id, ct);
                if (p is null) continue;
                p.OwnerOrgId = null;
                p.OwnerOrg = null;
                p.MetadataModified = ctx.Now;
                await ctx.Db.SaveChangesAsync(ct);
                if (p.State != ObjectState.Deleted) await ActivityLog.RecordPackageAsync(ctx, p, "changed package");
            }
        }
        var members = await ctx.Db.Members.Where(m => m.GroupId == g.Id).ToListAsync(ct);
        ctx.Db.Members.RemoveRange(members);
        await ctx.Db.Followers.Where(f => f.ObjectId == g.Id).ExecuteDeleteAsync(ct);
        ctx.Db.Groups.Remove(g);
        await ctx.Db.SaveChangesAsync(ct);
        foreach (var m in members.Where(m => m.TableName == Memberships.Package && m.State == ObjectState.Active))
            await Memberships.PackageChangedAsync(ctx, m.TableId);
        ctx.Authz.Forget();
    }

    private async Task DetachAsync(Group g)
    {
        var ct = ctx.CancellationToken;
        if (g.IsOrganization && await ctx.Db.Packages.AnyAsync(p => p.OwnerOrgId == g.Id && p.State != ObjectState.Deleted, ct))
            throw new ValidationException(new JsonObject { ["message"] = "Organization cannot be deleted while it still has datasets" });
        var members = await ctx.Db.Members.Where(m => m.GroupId == g.Id).ToListAsync(ct);
        ctx.Db.Members.RemoveRange(members);
        await ctx.Db.SaveChangesAsync(ct);
        foreach (var m in members.Where(m => m.TableName == Memberships.Package && m.State == ObjectState.Active))
            await Memberships.PackageChangedAsync(ctx, m.TableId);
    }

    private async Task<List<(User User, string Capacity)>> ResolveUsersAsync(JsonArray refs, JsonObject errors)
    {
        var found = new List<(User, string)>();
        foreach (var item in refs.OfType<JsonObject>())
        {
            var key = Validators.AsString(item["name"]) ?? Validators.AsString(item["id"]);
            if (key is null) { ValidationException.Add(errors, "users", "User name or id missing"); continue; }
            var user = await ctx.Db.Users.AsNoTracking().Named(key)
                .FirstOrDefaultAsync(u => u.State == ObjectState.Active, ctx.CancellationToken);
            if (user is null) ValidationException.Add(errors, "users", $"User \"{key}\" does not exist");
            else found.Add((user, Validators.AsString(item["capacity"]) ?? Roles.Member));
        }
        return found.DistinctBy(u => u.Item1.Id).ToList();
    }

    /// <summary>Only datasets the caller may read can be put in a group.</summary>
    private async Task<List<Package>> ResolvePackagesAsync(JsonArray refs, JsonObject errors)
    {
        var found = new List<Package>();
        foreach (var item in refs.OfType<JsonObject>())
        {
            var key = Validators.AsString(item["id"]) ?? Validators.AsString(item["name"]);
            if (key is null) continue;
            var p = await ctx.Db.Packages.AsNoTracking().Named(key)
                .FirstOrDefaultAsync(x => x.State == ObjectState.Active, ctx.CancellationToken);
            if (p is null || !await ctx.Authz.CanReadPackageAsync(p, ctx.CancellationToken))
                ValidationException.Add(errors, "packages", $"Dataset \"{key}\" does not exist");
            else if (found.All(x => x.Id != p.Id)) found.Add(p);
        }
        return found;
    }

    /// <summary>The given list becomes the members: others lose their role, listed ones get theirs.</summary>
    private async Task SaveUsersAsync(Group g, List<(User User, string Capacity)> users)
    {
        var current = await ctx.Db.Members.Where(m => m.GroupId == g.Id && m.TableName == Memberships.User).ToListAsync(ctx.CancellationToken);
        ctx.Db.Members.RemoveRange(current.Where(m => users.All(u => u.User.Id != m.TableId)));
        foreach (var (user, capacity) in users)
            await Memberships.SetAsync(ctx, g.Id, Memberships.User, user.Id, capacity);
    }
}
