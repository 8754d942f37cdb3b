using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// user_* actions (CKAN's logic/action for user accounts). Nothing is written to the change feed: it carries
/// datasets, organizations and groups, and must never carry e-mails or password hashes.
/// </summary>
public static class Users
{
    public const string NameTaken = "That login name is not available.";
    public const string NameFixed = "That login name can not be modified.";
    public const string OldPasswordIncorrect = "Old Password: incorrect password";

    /// <summary>user_show with include_datasets returns at most this many (CKAN searches with rows=50).</summary>
    public const int ShownDatasetsMax = 50;

    private static readonly string[] OrderFields =
        ["id", "name", "fullname", "display_name", "created", "about", "sysadmin", "number_created_packages"];

    public static ActionRegistry AddUserActions(this ActionRegistry r) => r
        .Read("user_show", UserAuth.Show, Show,
            "Return a user account. E-mail, its hash and the sysadmin flag are included for the user themself and for sysadmins.\nAnonymous callers are refused unless Catalog:Auth:PublicUserDetails is on.\n\n:param id: the id or name of the user (optional, default: the caller)\n:param include_datasets: include up to 50 datasets the user created that the caller may see (optional, default: false)\n:param include_num_followers: (optional, default: false)")
        .Read("user_list", UserAuth.List, List,
            "Return the site's active user accounts (to anonymous callers only with Catalog:Auth:PublicUserDetails).\n\n:param q: only users whose name or full name contains this string (optional)\n:param email: only the user with this e-mail (sysadmins only, optional)\n:param order_by: id, name, fullname, display_name, created, about, sysadmin or number_created_packages (optional, default: display_name)\n:param all_fields: user dicts instead of names (optional, default: true)\n:param include_site_user: (optional, default: false)\n:param limit: (optional)\n:param offset: (optional)")
        .Read("user_autocomplete", UserAuth.List, Autocomplete,
            "Return the active users whose name or full name contains q (to anonymous callers only with Catalog:Auth:PublicUserDetails).\n\n:param q: the text to look for\n:param limit: (optional, default 20)\n:param ignore_self: (optional, default false) leave the caller out\n\nReturns a list of {id, name, fullname}.")
        .Read("get_site_user", AuthRules.Sysadmin, SiteUserShow,
            "Return the catalog's own account, which seeding and other in-process jobs act as. Sysadmins only.\nIt has no API token, so apikey is null.")
        .Write("user_create", UserAuth.Create, Create,
            "Create a user account. Sysadmins only.\n\n:param name: the login name\n:param email: the e-mail address\n:param password: at least 8 characters\n:param fullname: (optional)\n:param about: (optional)\n:param image_url: (optional)\n:param sysadmin: (optional)\n:param state: (optional)\n:param id: a UUID (optional)\n\nReturns the new user's dict.",
            UserSchemas.Create)
        .Write("user_invite", InviteAuth, Invite,
            "Invite a user to an organization by e-mail. Not available here: the catalog sends no e-mail, and a Validation Error says so; create the account with user_create and add it with organization_member_create.\n\n:param email: the address to invite\n:param group_id: the id or name of the organization\n:param role: member, editor or admin")
        .Write("user_update", UserAuth.Update, Update,
            "Update a user account: the given dict replaces the user's e-mail, full name, about and image URL.\nUsers update themselves, sysadmins anyone; only sysadmins rename users or change sysadmin and state.\nA user changing their own password gives old_password; failed checks lock the account (and the client address) out for a while.\n\n:param id: the id or name of the user",
            UserSchemas.Update)
        .Write("user_patch", UserAuth.Update, Patch,
            "Patch a user account: only the given keys change.\n\n:param id: the id or name of the user")
        .Write("user_delete", UserAuth.Delete, Delete,
            "Delete a user account (its state becomes deleted, its memberships and API tokens are removed). Sysadmins only.\n\n:param id: the id or name of the user");

    /// <summary>CKAN's user_autocomplete: never the site user nor deleted accounts; matched in memory, since names and full names may be Japanese.</summary>
    private static async Task<JsonNode?> Autocomplete(ActionContext ctx, JsonObject d)
    {
        var q = DataDict.String(d, "q") ?? throw ValidationException.For("q", Validators.MissingValue);
        var limit = DataDict.Int(d, "limit", 20, min: 0, max: 1000);
        var ignoreSelf = DataDict.Bool(d, "ignore_self", false);
        var users = await ctx.Db.Users.AsNoTracking()
            .Where(u => u.State != ObjectState.Deleted && u.Name != SiteUser.Name)
            .Select(u => new { u.Id, u.Name, u.Fullname }).ToListAsync(ctx.CancellationToken);
        return new JsonArray(users
            .Where(u => !(ignoreSelf && u.Id == ctx.Caller.UserId))
            .Where(u => u.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || (u.Fullname ?? "").Contains(q, StringComparison.OrdinalIgnoreCase))
            .OrderBy(u => u.Name, StringComparer.Ordinal).Take(limit)
            .Select(u => (JsonNode?)new JsonObject { ["id"] = u.Id, ["name"] = u.Name, ["fullname"] = u.Fullname }).ToArray());
    }

    private static async Task<JsonNode?> SiteUserShow(ActionContext ctx, JsonObject d)
    {
        var caller = await SiteUser.EnsureAsync(ctx.Db, ctx.Get<TimeProvider>(), ctx.CancellationToken);
        return new JsonObject { ["name"] = caller.UserName, ["apikey"] = null };
    }

    /// <summary>E-mail, its hash and the sysadmin flag: for the user themself and sysadmins.</summary>
    private static bool SeesPrivate(ActionContext ctx, User u) => ctx.Caller.IsSysadmin || ctx.Caller.UserId == u.Id;

    private static async Task<JsonNode?> Show(ActionContext ctx, JsonObject d)
    {
        var ct = ctx.CancellationToken;
        var idOrName = DataDict.String(d, "id");
        var user = string.IsNullOrEmpty(idOrName)
            ? ctx.Caller.UserId is { } self ? await ctx.Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == self, ct) : null
            : await UserLookup.FindAsync(ctx.Db, idOrName, ct, tracking: false);
        if (user is null || (user.State == ObjectState.Deleted && !ctx.Caller.IsSysadmin)) throw new NotFoundException("User not found");

        var created = await CreatedVisibleAsync(ctx, user);
        var dict = UserDictizer.Dictize(user, await created.CountAsync(ct), SeesPrivate(ctx, user));
        if (DataDict.Bool(d, "include_datasets", false))
        {
            var packages = await created.WithDetails().OrderByDescending(p => p.MetadataModified)
                .Take(ShownDatasetsMax).ToListAsync(ct);
            dict["datasets"] = await PackageLookup.DictizeManyAsync(ctx, packages);
        }
        // The catalog has no followers; the key is there for clients that read it.
        if (DataDict.Bool(d, "include_num_followers", false)) dict["num_followers"] = 0;
        return dict;
    }

    /// <summary>
    /// The datasets <paramref name="user"/> created that the caller may see: public active ones, private ones of
    /// organizations the caller reads, and drafts for the user themself and sysadmins. Deleted ones never count.
    /// </summary>
    private static async Task<IQueryable<Package>> CreatedVisibleAsync(ActionContext ctx, User user)
    {
        var created = ctx.Db.Packages.AsNoTracking().Where(p => p.CreatorUserId == user.Id);
        if (ctx.Caller.IsSysadmin)
            return created.Where(p => p.State == ObjectState.Active || p.State == ObjectState.Draft);
        var readable = await ctx.Authz.GroupsWithPermissionAsync(Roles.Permission.Read, ctx.CancellationToken);
        var self = ctx.Caller.UserId == user.Id;
        return created.Where(p =>
            (p.State == ObjectState.Active && (!p.Private || (p.OwnerOrgId != null && readable.Contains(p.OwnerOrgId))))
            || (self && p.State == ObjectState.Draft));
    }

    private static async Task<JsonNode?> List(ActionContext ctx, JsonObject d)
    {
        var ct = ctx.CancellationToken;
        var sysadmin = ctx.Caller.IsSysadmin;
        var query = ctx.Db.Users.AsNoTracking().Where(u => u.State != ObjectState.Deleted);
        if (!DataDict.Bool(d, "include_site_user", false)) query = query.Where(u => u.Name != SiteUser.Name);

        if ((DataDict.String(d, "q") ?? "").Trim().ToLowerInvariant() is { Length: > 0 } q)
            query = sysadmin
                ? query.Where(u => u.Name.Contains(q) || (u.Fullname != null && u.Fullname.ToLower().Contains(q))
                    || (u.Email != null && u.Email.ToLower().Contains(q)))
                : query.Where(u => u.Name.Contains(q) || (u.Fullname != null && u.Fullname.ToLower().Contains(q)));
        // The auth rule let only sysadmins through with an e-mail filter.
        if ((DataDict.String(d, "email") ?? "").Trim().ToLowerInvariant() is { Length: > 0 } email)
            query = query.Where(u => u.Email != null && u.Email.ToLower() == email);

        var packages = ctx.Db.Packages.Where(p => p.State == ObjectState.Active && !p.Private);
        var orderBy = DataDict.String(d, "order_by") is { Length: > 0 } o ? o : "display_name";
        IOrderedQueryable<User> ordered = orderBy switch
        {
            "id" => query.OrderBy(u => u.Id),
            "name" => query.OrderBy(u => u.Name),
            // Case-insensitive, as a database with a natural-language collation would sort names for people.
            "fullname" => query.OrderBy(u => u.Fullname!.ToLower()).ThenBy(u => u.Name),
            "display_name" => query.OrderBy(u => (u.Fullname == null || u.Fullname == "" ? u.Name : u.Fullname).ToLower()).ThenBy(u => u.Name),
            "created" => query.OrderBy(u => u.Created).ThenBy(u => u.Name),
            "about" => query.OrderBy(u => u.About).ThenBy(u => u.Name),
            // Sorting by a flag the caller may not see would show it all the same.
            "sysadmin" when !sysadmin => query.OrderBy(u => u.Name),
            "sysadmin" => query.OrderBy(u => u.Sysadmin).ThenBy(u => u.Name),
            "number_created_packages" => query.OrderBy(u => packages.Count(p => p.CreatorUserId == u.Id)).ThenBy(u => u.Name),
            "edits" => throw ValidationException.For("order_by", "order_by=edits is no longer supported"),
            _ => throw ValidationException.For("order_by", $"Value must be one of {string.Join(", ", OrderFields)}"),
        };

        var offset = DataDict.Int(d, "offset", 0, min: 0);
        var limit = DataDict.Int(d, "limit", -1, min: 0);
        var page = limit >= 0 ? ordered.Skip(offset).Take(limit) : ordered.Skip(offset);

        if (!DataDict.Bool(d, "all_fields", true))
            return new JsonArray((await page.Select(u => u.Name).ToListAsync(ct)).Select(n => (JsonNode?)n).ToArray());

        var users = await page.ToListAsync(ct);
        var ids = users.Select(u => u.Id).ToList();
        var counts = await packages.Where(p => p.CreatorUserId != null && ids.Contains(p.CreatorUserId))
            .GroupBy(p => p.CreatorUserId!).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return new JsonArray(users.Select(u =>
            (JsonNode?)UserDictizer.Dictize(u, counts.GetValueOrDefault(u.Id), SeesPrivate(ctx, u))).ToArray());
    }

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var ct = ctx.CancellationToken;
        var errors = new JsonObject();
        var user = new User { Id = Guid.NewGuid().ToString(), Name = Validators.AsString(d["name"])!, Created = ctx.Now };
        if (await NameTakenAsync(ctx, user.Name, exceptId: null)) ValidationException.Add(errors, "name", NameTaken);
        if (Validators.AsString(d["id"]) is { } wantedId)
        {
            if (await ctx.Db.Users.Named(wantedId).AnyAsync(ct)) ValidationException.Add(errors, "id", "User id already exists");
            else user.Id = wantedId;
        }
        await CheckEmailAsync(ctx, d, user.Id, errors);
        if (errors.Count > 0) throw new ValidationException(errors);

        Apply(ctx, user, d);
        user.PasswordHash = Secrets.HashPassword(Validators.AsString(d["password"])!);
        ctx.Db.Users.Add(user);
        await SaveAsync(ctx);
        return UserDictizer.Dictize(user, 0, SeesPrivate(ctx, user));
    }

    private static async Task<JsonNode?> Update(ActionContext ctx, JsonObject d)
    {
        var ct = ctx.CancellationToken;
        var user = await UserLookup.FindAsync(ctx.Db, DataDict.Require(d, "id"), ct) ?? throw new NotFoundException("User was not found.");
        var errors = new JsonObject();

        // Names appear in URLs and other systems' records: only a sysadmin renames an account (as in CKAN).
        if (Validators.AsString(d["name"]) is { } name && name != user.Name)
        {
            if (!ctx.Caller.IsSysadmin) ValidationException.Add(errors, "name", NameFixed);
            else if (await NameTakenAsync(ctx, name, exceptId: user.Id)) ValidationException.Add(errors, "name", NameTaken);
            else user.Name = name;
        }
        await CheckEmailAsync(ctx, d, user.Id, errors);

        var password = Validators.AsString(d["password"]);
        // A stolen token alone must not be enough to take over the account's password. The check is rate-limited
        // (a locked account is refused even with the right password) and upgrades an old hash, which the new
        // password then replaces anyway.
        if (password is not null && !ctx.Caller.IsSysadmin
            && !(Validators.AsString(d["old_password"]) is { } old && ctx.Get<PasswordAttempts>().Verify(user, old, ctx.Caller.Address)))
            ValidationException.Add(errors, "oldpassword", OldPasswordIncorrect);
        if (errors.Count > 0) throw new ValidationException(errors);

        Apply(ctx, user, d);
        if (password is not null) user.PasswordHash = Secrets.HashPassword(password);
        await SaveAsync(ctx);
        var created = await CreatedVisibleAsync(ctx, user);
        return UserDictizer.Dictize(user, await created.CountAsync(ct), SeesPrivate(ctx, user));
    }

    /// <summary>The user's editable fields, then the given keys over them, then user_update.</summary>
    private static async Task<JsonNode?> Patch(ActionContext ctx, JsonObject d)
    {
        var user = await UserLookup.FindAsync(ctx.Db, DataDict.Require(d, "id"), ctx.CancellationToken, tracking: false)
            ?? throw new NotFoundException("User was not found.");
        var merged = new JsonObject
        {
            ["name"] = user.Name, ["email"] = user.Email, ["fullname"] = user.Fullname,
            ["about"] = user.About, ["image_url"] = user.ImageUrl,
        };
        foreach (var (key, value) in d) merged[key] = value?.DeepClone();
        merged["id"] = user.Id;
        var result = UserSchemas.Update.Validate(merged);
        if (!result.IsValid) throw new ValidationException(result.Errors);
        return await Update(ctx, result.Data);
    }

    private static async Task<JsonNode?> Delete(ActionContext ctx, JsonObject d)
    {
        var ct = ctx.CancellationToken;
        var user = await UserLookup.FindAsync(ctx.Db, DataDict.Require(d, "id"), ct) ?? throw new NotFoundException("User was not found.");
        user.State = ObjectState.Deleted;
        await ctx.Db.Members.Where(m => m.TableName == "user" && m.TableId == user.Id).ExecuteDeleteAsync(ct);
        await ctx.Db.PackageMembers.Where(m => m.UserId == user.Id).ExecuteDeleteAsync(ct);
        // The authenticator already refuses deleted users; removing the tokens keeps a later reactivation from reviving them.
        await ctx.Db.ApiTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(ct);
        await ctx.Db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The profile fields (replaced: absent means cleared), and for sysadmin callers sysadmin and state.</summary>
    private static void Apply(ActionContext ctx, User user, JsonObject d)
    {
        user.Email = Validators.AsString(d["email"]);
        user.Fullname = Validators.AsString(d["fullname"]);
        user.About = Validators.AsString(d["about"]);
        user.ImageUrl = Validators.AsString(d["image_url"]);
        if (!ctx.Caller.IsSysadmin) return;
        if (d["sysadmin"] is { } flag) user.Sysadmin = flag.GetValue<bool>();
        if (Validators.AsString(d["state"]) is { } state) user.State = state;
    }

    /// <summary>
    /// Unique among all accounts, deleted ones included, and never equal to another account's id. The site user's
    /// name is reserved even before that account exists: the catalog finds its own identity by it.
    /// </summary>
    private static async Task<bool> NameTakenAsync(ActionContext ctx, string name, string? exceptId) =>
        name == SiteUser.Name
        || await ctx.Db.Users.AnyAsync(u => (u.Name == name || u.Id == name) && u.Id != exceptId, ctx.CancellationToken);

    /// <summary>CKAN's email_is_unique: one live account per address.</summary>
    private static async Task CheckEmailAsync(ActionContext ctx, JsonObject d, string userId, JsonObject errors)
    {
        if (Validators.AsString(d["email"]) is not { } email) return;
        var lower = email.ToLowerInvariant();
        if (await ctx.Db.Users.AnyAsync(u => u.Id != userId && u.State != ObjectState.Deleted
                && u.Email != null && u.Email.ToLower() == lower, ctx.CancellationToken))
            ValidationException.Add(errors, "email", $"The email address '{email}' belongs to a registered user.");
    }

    /// <summary>Two creations racing for one name meet the unique index: that is the same validation error.</summary>
    private static async Task SaveAsync(ActionContext ctx)
    {
        try { await ctx.Db.SaveChangesAsync(ctx.CancellationToken); }
        catch (DbUpdateException)
        {
            throw ValidationException.For("name", NameTaken);
        }
    }

    /// <summary>CKAN's user_invite auth is group_member_create on the organization named by group_id.</summary>
    private static Task InviteAuth(ActionContext ctx, JsonObject d) =>
        GroupAuth.Membership(GroupKind.Organization)(ctx, new JsonObject { ["id"] = DataDict.Require(d, "group_id") });

    /// <summary>An invitation is an e-mail with a sign-up link; with no mail server there is nothing to send it with.</summary>
    private static Task<JsonNode?> Invite(ActionContext ctx, JsonObject d) =>
        throw new ValidationException(new JsonObject
        {
            ["message"] = "Invitations are not available: this catalog sends no e-mail (no mail server is set up). Create the account with user_create and add it with organization_member_create",
        });
}
