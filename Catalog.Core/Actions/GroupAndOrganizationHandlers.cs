using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// The handlers organization_* and group_* share (CKAN's _group_or_org_list, _show, _create, _update, _delete):
/// each takes the kind it serves.
/// </summary>
internal static class GroupAndOrganizationHandlers
{
    /// <summary>CKAN's ckan.group_and_organization_list_max and ..._all_fields_max.</summary>
    public const int ListMax = 1000;
    public const int ListAllFieldsMax = 25;

    public static ActionHandler List(GroupKind kind) => async (ctx, d) =>
    {
        var allFields = DataDict.Bool(d, "all_fields", false);
        var max = allFields ? ListAllFieldsMax : ListMax;
        var limit = DataDict.Int(d, "limit", max, min: 0, max: max);
        var offset = DataDict.Int(d, "offset", 0, min: 0);
        var (sortField, descending) = ParseSort(DataDict.String(d, "sort") is { Length: > 0 } s ? s : DataDict.String(d, "order_by"));
        var includeCount = DataDict.Bool(d, "include_dataset_count", true);
        var includeExtras = DataDict.Bool(d, "include_extras", false);
        var includeUsers = DataDict.Bool(d, "include_users", false);
        var type = DataDict.String(d, "type") is { Length: > 0 } t ? t : kind.DefaultType;

        var query = ctx.Db.Groups.AsNoTracking()
            .Where(g => g.IsOrganization == kind.IsOrganization && g.State == ObjectState.Active && g.Type == type);
        if (allFields && includeExtras) query = query.Include(g => g.Extras);
        if (DataDict.String(d, "q")?.Trim().ToLowerInvariant() is { Length: > 0 } q)
            query = query.Where(g => g.Name.ToLower().Contains(q) || g.Title.ToLower().Contains(q) || g.Description.ToLower().Contains(q));
        if (DataDict.StringList(d, kind.ListFilterKey) is { Count: > 0 } names)
            query = query.Where(g => names.Contains(g.Name));
        var groups = await query.ToListAsync(ctx.CancellationToken);

        var counts = (allFields && includeCount) || sortField == "package_count"
            ? await GroupLookup.PackageCountsAsync(ctx, groups.Select(g => g.Id).ToList())
            : [];
        Comparison<Group> compare = sortField switch
        {
            "name" => (a, b) => string.CompareOrdinal(a.Name, b.Name),
            "title" => (a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Title, b.Title),
            _ => (a, b) => counts.GetValueOrDefault(a.Id).CompareTo(counts.GetValueOrDefault(b.Id)),
        };
        groups.Sort((a, b) =>
        {
            var c = descending ? -compare(a, b) : compare(a, b);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
        var page = groups.Skip(offset).Take(limit).ToList();
        if (!allFields) return new JsonArray(page.Select(g => (JsonNode?)g.Name).ToArray());

        var users = includeUsers ? await GroupLookup.UsersAsync(ctx, page.Select(g => g.Id).ToList()) : null;
        return new JsonArray(page.Select(g =>
        {
            var dict = GroupDictizer.Dictize(g, counts.GetValueOrDefault(g.Id), includeExtras);
            if (!includeCount) dict.Remove("package_count");
            if (users is not null) dict["users"] = users[g.Id];
            return (JsonNode?)dict;
        }).ToArray());
    };

    public static ActionHandler Show(GroupKind kind) => async (ctx, d) =>
    {
        var g = await GroupLookup.ReadableAsync(ctx, DataDict.Require(d, "id"), kind);
        var options = new GroupDictOptions(
            DatasetCount: DataDict.Bool(d, "include_dataset_count", true),
            Extras: DataDict.Bool(d, "include_extras", true),
            Users: DataDict.Bool(d, "include_users", true),
            Datasets: DataDict.Bool(d, "include_datasets", false));
        return await GroupLookup.DictizeAsync(ctx, g, options);
    };

    public static ActionHandler Create(GroupKind kind) => async (ctx, d) =>
    {
        var g = await new GroupWriter(ctx, kind).SaveAsync(d, existing: null);
        return await RecordAsync(ctx, g, kind, "new");
    };

    public static ActionHandler Update(GroupKind kind) => async (ctx, d) =>
    {
        var existing = await GroupLookup.RequireAsync(ctx, DataDict.Require(d, "id"), kind);
        var wasDeleted = existing.State == ObjectState.Deleted;
        var g = await new GroupWriter(ctx, kind).SaveAsync(d, existing);
        return await RecordAsync(ctx, g, kind, !wasDeleted && g.State == ObjectState.Deleted ? "deleted" : "changed");
    };

    /// <summary>*_show, then the given keys over it, then *_update (members are in the shown dict, so they stay).</summary>
    public static ActionHandler Patch(GroupKind kind) => async (ctx, d) =>
    {
        var existing = await GroupLookup.RequireAsync(ctx, DataDict.Require(d, "id"), kind);
        var merged = await GroupLookup.DictizeAsync(ctx, existing, GroupDictOptions.Show with { DatasetCount = false });
        foreach (var (key, value) in d) merged[key] = value?.DeepClone();
        merged["id"] = existing.Id;
        var result = GroupSchemas.Update.Validate(merged);
        if (!result.IsValid) throw new ValidationException(result.Errors);
        return await Update(kind)(ctx, result.Data);
    };

    public static ActionHandler Delete(GroupKind kind) => async (ctx, d) =>
    {
        var g = await GroupLookup.RequireAsync(ctx, DataDict.Require(d, "id"), kind);
        await new GroupWriter(ctx, kind).DeleteAsync(g);
        await RecordAsync(ctx, g, kind, "deleted");
        return null;
    };

    public static ActionHandler Purge(GroupKind kind) => async (ctx, d) =>
    {
        var g = await GroupLookup.RequireAsync(ctx, DataDict.Require(d, "id"), kind);
        var snapshot = await GroupLookup.DictizeAsync(ctx, g, GroupDictOptions.Snapshot);
        snapshot["state"] = "purged";
        await new GroupWriter(ctx, kind).PurgeAsync(g);
        ActivityLog.Record(ctx, kind.Noun, g.Id, $"deleted {kind.Noun}", snapshot);
        return null;
    };

    /// <summary>
    /// CKAN's group_ and organization_autocomplete: active ones whose name or title contains q (case-insensitive),
    /// as {id, name, title}, by name.
    /// </summary>
    public static ActionHandler Autocomplete(GroupKind kind) => async (ctx, d) =>
    {
        var q = DataDict.String(d, "q") ?? throw ValidationException.For("q", Validators.MissingValue);
        var limit = DataDict.Int(d, "limit", 20, min: 0, max: 1000);
        // Compared here, not in SQL: SQLite's lower() folds ASCII only, and titles are Japanese as often as not.
        var groups = await ctx.Db.Groups.AsNoTracking()
            .Where(g => g.IsOrganization == kind.IsOrganization && g.State == ObjectState.Active)
            .Select(g => new { g.Id, g.Name, g.Title }).ToListAsync(ctx.CancellationToken);
        return new JsonArray(groups
            .Where(g => g.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || g.Title.Contains(q, StringComparison.OrdinalIgnoreCase))
            .OrderBy(g => g.Name, StringComparer.Ordinal).Take(limit)
            .Select(g => (JsonNode?)new JsonObject { ["id"] = g.Id, ["name"] = g.Name, ["title"] = g.Title }).ToArray());
    };

    /// <summary>
    /// CKAN's group_package_show: the datasets of a group (or organization) the caller may read, most recently
    /// modified first, as package_show dicts.
    /// </summary>
    public static async Task<JsonNode?> PackageShow(ActionContext ctx, JsonObject d)
    {
        var idOrName = DataDict.Require(d, "id");
        var limit = DataDict.Int(d, "limit", 1000, min: 1, max: 1000);
        var found = await ctx.Db.Groups.AsNoTracking().Named(idOrName).FirstOrDefaultAsync(ctx.CancellationToken)
            ?? throw new NotFoundException("Group was not found.");
        var g = await GroupLookup.ReadableAsync(ctx, found.Id, GroupKind.Of(found.IsOrganization));
        var packages = await GroupLookup.DatasetsOf(ctx.Db, await Visibility.ReadableActiveAsync(ctx), g).WithDetails()
            .OrderByDescending(p => p.MetadataModified).Take(limit).ToListAsync(ctx.CancellationToken);
        return await PackageLookup.DictizeManyAsync(ctx, packages);
    }

    /// <summary>
    /// The active ones of this kind in which the user has the permission, with their role there. Sysadmins may do
    /// anything anywhere, so they get all, as admin, unless only actual memberships are asked for.
    /// </summary>
    public static async Task<List<(Group Group, string Role)>> WithPermissionAsync(
        ActionContext ctx, User user, GroupKind kind, string permission, bool membershipsOnly = false)
    {
        var groups = ctx.Db.Groups.AsNoTracking().Include(g => g.Extras)
            .Where(g => g.IsOrganization == kind.IsOrganization && g.State == ObjectState.Active);
        if (user.Sysadmin && !membershipsOnly)
            return (await groups.ToListAsync(ctx.CancellationToken)).Select(g => (g, Roles.Admin)).ToList();
        var rows = await ctx.Db.Members.AsNoTracking()
            .Where(m => m.TableName == Memberships.User && m.TableId == user.Id && m.State == ObjectState.Active)
            .Join(groups, m => m.GroupId, g => g.Id, (m, g) => new { Group = g, m.Capacity })
            .ToListAsync(ctx.CancellationToken);
        return rows.Where(r => Roles.Allows(r.Capacity, permission)).Select(r => (r.Group, r.Capacity)).ToList();
    }

    /// <summary>CKAN's group_list_dictize: sorted by display name, package_count only when asked for.</summary>
    public static async Task<JsonArray> ListDictsAsync(ActionContext ctx, IEnumerable<(Group Group, string? Role)> groups, bool includeCount)
    {
        var list = groups.OrderBy(x => GroupDictizer.DisplayName(x.Group), StringComparer.OrdinalIgnoreCase)
            .ThenBy(x => x.Group.Name, StringComparer.Ordinal).ToList();
        var counts = includeCount ? await GroupLookup.PackageCountsAsync(ctx, list.Select(x => x.Group.Id).ToList()) : [];
        return new JsonArray(list.Select(x =>
        {
            var dict = GroupDictizer.Dictize(x.Group, counts.GetValueOrDefault(x.Group.Id), includeExtras: false);
            if (!includeCount) dict.Remove("package_count");
            if (x.Role is not null) dict["capacity"] = x.Role;
            return (JsonNode?)dict;
        }).ToArray());
    }

    /// <summary>Appends to the change feed and returns the dict *_show would give the caller.</summary>
    private static async Task<JsonObject> RecordAsync(ActionContext ctx, Group g, GroupKind kind, string verb)
    {
        ActivityLog.Record(ctx, kind.Noun, g.Id, $"{verb} {kind.Noun}", await GroupLookup.DictizeAsync(ctx, g, GroupDictOptions.Snapshot));
        return await GroupLookup.DictizeAsync(ctx, g, GroupDictOptions.Show);
    }

    /// <summary>CKAN's _unpick_search with one criterion; a bare package_count sorts the biggest first.</summary>
    private static (string Field, bool Descending) ParseSort(string? sort)
    {
        sort = string.IsNullOrWhiteSpace(sort) ? "title asc" : sort.Trim();
        if (sort is "packages" or "package_count") return ("package_count", true);
        var clauses = sort.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (clauses.Length != 1) throw Message("Too many sort criteria provided only 1 allowed");
        var parts = clauses[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var field = parts[0];
        var order = parts.Length > 1 ? parts[1].ToLowerInvariant() : "asc";
        if (field is not ("name" or "title" or "package_count" or "packages")) throw Message($"Cannot sort by field `{field}`");
        if (order is not ("asc" or "desc")) throw Message($"Invalid sort direction `{order}`");
        return (field == "packages" ? "package_count" : field, order == "desc");
    }

    private static ValidationException Message(string text) => new(new JsonObject { ["message"] = text });
}
