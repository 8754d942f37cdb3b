using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Files;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>package_* actions (CKAN's logic/action for datasets).</summary>
public static class Packages
{
    public static ActionRegistry AddPackageActions(this ActionRegistry r) => r
        .Read("package_list", AuthRules.Anyone, List,
            "Return the names of the site's public, active datasets, sorted by name.\n\n:param limit: (optional)\n:param offset: (optional)")
        .Read("current_package_list_with_resources", AuthRules.Anyone, CurrentWithResources,
            "Return the most recently modified datasets with their resources.\n\n:param limit: (optional)\n:param offset: (optional)")
        .Read("package_show", AuthRules.Anyone, Show,
            "Return the metadata of a dataset and its resources.\n\n:param id: the id or name of the dataset")
        .Write("package_create", PackageAuth.Create, Create,
            "Create a new dataset. Only name is required; owner_org names its organization.\n\nReturns the new dataset's dict.",
            PackageSchemas.Create)
        .Write("package_update", PackageAuth.Update, Update,
            "Update a dataset: the given dict replaces the dataset's fields, tags and extras. Resources are replaced only\nwhen a resources list is given.\n\n:param id: the id or name of the dataset",
            PackageSchemas.Update)
        .Write("package_patch", PackageAuth.Update, Patch,
            "Patch a dataset: only the given top-level keys change.\n\n:param id: the id or name of the dataset")
        .Write("package_delete", PackageAuth.Delete, Delete,
            "Delete a dataset (its state becomes deleted; the name stays reserved until purged).\n\n:param id: the id or name of the dataset")
        .Write("dataset_purge", AuthRules.Sysadmin, Purge,
            "Purge a dataset for ever, with its resources and files. Sysadmins only.\n\n:param id: the id or name of the dataset")
        .Write("package_owner_org_update", PackageAuth.OwnerOrgUpdate, OwnerOrgUpdate,
            "Move a dataset to another organization.\n\n:param id: the dataset\n:param organization_id: the organization")
        .Write("bulk_update_private", PackageAuth.Bulk, (c, d) => Bulk(c, d, p => p.Private = true),
            "Make datasets of an organization private.\n\n:param datasets: list of dataset ids\n:param org_id: the organization")
        .Write("bulk_update_public", PackageAuth.Bulk, (c, d) => Bulk(c, d, p => p.Private = false),
            "Make datasets of an organization public. Refused for a dataset with a file that failed validation unless a\nsysadmin passes validation_override.\n\n:param datasets: list of dataset ids\n:param org_id: the organization\n:param validation_override: (optional, sysadmins)")
        .Write("bulk_update_delete", PackageAuth.Bulk, (c, d) => Bulk(c, d, p => p.State = ObjectState.Deleted),
            "Delete datasets of an organization.\n\n:param datasets: list of dataset ids\n:param org_id: the organization");

    private static async Task<JsonNode?> List(ActionContext ctx, JsonObject d)
    {
        var query = Visibility.ReadableActive(ctx.Db, Visibility.Reader.Anonymous).OrderBy(p => p.Name).Select(p => p.Name);
        var offset = DataDict.Int(d, "offset", 0, min: 0);
        var limit = DataDict.Int(d, "limit", -1);
        var page = limit >= 0 ? query.Skip(offset).Take(limit) : query.Skip(offset);
        var names = await page.ToListAsync(ctx.CancellationToken);
        return new JsonArray(names.Select(n => (JsonNode?)n).ToArray());
    }

    private static async Task<JsonNode?> CurrentWithResources(ActionContext ctx, JsonObject d)
    {
        var limit = DataDict.Int(d, "limit", 1000, min: 0, max: 1000);
        var offset = DataDict.Int(d, "offset", 0, min: 0);
        if (d.ContainsKey("page")) offset = (DataDict.Int(d, "page", 1, min: 1) - 1) * limit;
        var query = Visibility.ReadableActive(ctx.Db, ctx.Caller.IsSysadmin ? await ctx.Authz.ReaderAsync(ctx.CancellationToken) : Visibility.Reader.Anonymous);
        var packages = await query.WithDetails().OrderByDescending(p => p.MetadataModified)
            .Skip(offset).Take(limit).ToListAsync(ctx.CancellationToken);
        return await PackageLookup.DictizeManyAsync(ctx, packages);
    }

    private static async Task<JsonNode?> Show(ActionContext ctx, JsonObject d)
    {
        var p = await PackageLookup.ReadableAsync(ctx, DataDict.Require(d, "id"));
        return await PackageLookup.DictizeAsync(ctx, p);
    }

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var p = await new PackageWriter(ctx).SaveAsync(d, existing: null);
        return await ActivityLog.RecordPackageAsync(ctx, p, "new package");
    }

    /// <summary>package_update on a validated dict (package_revise ends with it too).</summary>
    internal static async Task<JsonNode?> Update(ActionContext ctx, JsonObject d)
    {
        var existing = await PackageLookup.FindAsync(ctx.Db, DataDict.Require(d, "id"), ctx.CancellationToken)
            ?? throw new NotFoundException("Dataset was not found.");
        var writer = new PackageWriter(ctx);
        var p = await writer.SaveAsync(d, existing);
        return await ActivityLog.RecordPackageAsync(ctx, p, p.State == ObjectState.Deleted ? "deleted package" : "changed package", writer.ActivityDetail);
    }

    /// <summary>package_show without its metadata_modified, then the given keys over it, then package_update.</summary>
    private static async Task<JsonNode?> Patch(ActionContext ctx, JsonObject d)
    {
        var existing = await PackageLookup.FindAsync(ctx.Db, DataDict.Require(d, "id"), ctx.CancellationToken)
            ?? throw new NotFoundException("Dataset was not found.");
        var merged = await PackageLookup.DictizeAsync(ctx, existing);
        // As CKAN's package_patch: the shown time must not come back as a sysadmin's explicit metadata_modified,
        // or every patch by a sysadmin would keep the old time and harvesters would never see the change.
        merged.Remove("metadata_modified");
        foreach (var (key, value) in d) merged[key] = value?.DeepClone();
        merged["id"] = existing.Id;
        var result = PackageSchemas.Update.Validate(merged);
        if (!result.IsValid) throw new ValidationException(result.Errors);
        return await Update(ctx, result.Data);
    }

    private static async Task<JsonNode?> Delete(ActionContext ctx, JsonObject d)
    {
        var p = await PackageLookup.FindAsync(ctx.Db, DataDict.Require(d, "id"), ctx.CancellationToken)
            ?? throw new NotFoundException("Dataset was not found.");
        p.State = ObjectState.Deleted;
        p.MetadataModified = ctx.Now;
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        await ActivityLog.RecordPackageAsync(ctx, p, "deleted package");
        return null;
    }

    private static async Task<JsonNode?> Purge(ActionContext ctx, JsonObject d)
    {
        var p = await PackageLookup.FindAsync(ctx.Db, DataDict.Require(d, "id"), ctx.CancellationToken)
            ?? throw new NotFoundException("Dataset was not found.");
        var resourceIds = p.Resources.Select(r => r.Id).ToList();
        await ctx.Db.Members.Where(m => m.TableName == "package" && m.TableId == p.Id).ExecuteDeleteAsync(ctx.CancellationToken);
        ctx.Db.Packages.Remove(p);
        ActivityLog.Record(ctx, "package", p.Id, "deleted package",
            new JsonObject { ["id"] = p.Id, ["name"] = p.Name, ["state"] = "purged" });
        var blobs = ctx.Get<BlobStore>();
        ctx.AfterCommit(() =>
        {
            foreach (var id in resourceIds) blobs.DeleteAllExcept(id, keepSha256: null);
            return Task.CompletedTask;
        });
        RemovedResources.AfterCommit(ctx, resourceIds);
        return null;
    }

    private static async Task<JsonNode?> OwnerOrgUpdate(ActionContext ctx, JsonObject d)
    {
        var p = await PackageLookup.FindAsync(ctx.Db, DataDict.Require(d, "id"), ctx.CancellationToken)
            ?? throw new NotFoundException("Dataset was not found.");
        var orgRef = DataDict.Require(d, "organization_id");
        var org = await ctx.Db.Groups.Named(orgRef).FirstOrDefaultAsync(g => g.IsOrganization, ctx.CancellationToken)
            ?? throw new NotFoundException("Organization was not found.");
        p.OwnerOrgId = org.Id;
        p.OwnerOrg = org;
        p.MetadataModified = ctx.Now;
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        await ActivityLog.RecordPackageAsync(ctx, p, "changed package");
        return null;
    }

    private static async Task<JsonNode?> Bulk(ActionContext ctx, JsonObject d, Action<Package> change)
    {
        var ids = DataDict.StringList(d, "datasets") ?? throw ValidationException.For("datasets", Validators.MissingValue);
        var orgRef = DataDict.Require(d, "org_id");
        var org = await ctx.Db.Groups.Named(orgRef).FirstAsync(g => g.IsOrganization, ctx.CancellationToken);
        // Only the organization's own datasets: an admin elsewhere must not reach them through this list.
        var packages = await ctx.Db.Packages.WithDetails()
            .Where(p => p.OwnerOrgId == org.Id && (ids.Contains(p.Id) || ids.Contains(p.Name)))
            .ToListAsync(ctx.CancellationToken);
        var details = new Dictionary<string, JsonObject?>();
        foreach (var p in packages)
        {
            var wasHidden = PublishingGate.IsHidden(p);
            change(p);
            if (wasHidden && !PublishingGate.IsHidden(p)) details[p.Id] = await PublishingGate.CheckAsync(ctx, p, d);
            p.MetadataModified = ctx.Now;
        }
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        foreach (var p in packages)
            await ActivityLog.RecordPackageAsync(ctx, p, p.State == ObjectState.Deleted ? "deleted package" : "changed package", details.GetValueOrDefault(p.Id));
        return null;
    }
}
