using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Catalog.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>resource_* actions. Every change also changes its dataset (metadata_modified, activity).</summary>
public static class Resources
{
    public static ActionRegistry AddResourceActions(this ActionRegistry r) => r
        .Read("resource_show", AuthRules.Anyone, Show,
            "Return the metadata of a resource.\n\n:param id: the id of the resource")
        .Read("resource_search", AuthRules.Anyone, Search,
            "Search resources of public datasets by field: query is \"field:term\" or a list of them (all must match;\ncase-insensitive substring, hash by prefix).\n\n:param query:\n:param order_by: (optional)\n:param offset: (optional)\n:param limit: (optional)")
        .Upload("resource_create", PackageAuth.ResourceCreate, Create,
            "Add a resource to a dataset. Send the file as the multipart part \"upload\" to store it in the catalog.\n\n:param package_id: the dataset\n:param url: (optional) a link, when nothing is uploaded",
            PackageSchemas.ResourceCreate)
        .Upload("resource_update", PackageAuth.ResourceUpdate, Update,
            "Update a resource: the given dict replaces its fields. Accepts \"upload\".\n\n:param id: the id of the resource",
            PackageSchemas.ResourceUpdate)
        .Upload("resource_patch", PackageAuth.ResourceUpdate, Patch,
            "Patch a resource: only the given keys change. Accepts \"upload\".\n\n:param id: the id of the resource")
        .Write("resource_delete", PackageAuth.ResourceUpdate, Delete,
            "Delete a resource from its dataset.\n\n:param id: the id of the resource");

    private static async Task<JsonNode?> Show(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "id");
        var packageId = await ctx.Db.Resources.AsNoTracking().Where(r => r.Id == id && r.State == ObjectState.Active)
            .Select(r => r.PackageId).FirstOrDefaultAsync(ctx.CancellationToken) ?? throw new NotFoundException("Resource was not found.");
        var p = await PackageLookup.ReadableAsync(ctx, packageId, asked: $"resource {id}");
        return ResourceDictizer.Dictize(p.Resources.First(r => r.Id == id), ctx.Get<SiteUrls>());
    }

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var p = await PackageLookup.FindAsync(ctx.Db, DataDict.Require(d, "package_id"), ctx.CancellationToken)
            ?? throw new NotFoundException("Dataset was not found.");
        if (p.State == ObjectState.Deleted)
            throw ValidationException.For("package_id", "The dataset is deleted: resources can not be added to it");
        var upload = ResourceWriter.UploadOf(ctx, d);
        var r = new Resource
        {
            Id = ResourceWriter.NewResourceId(ctx, Validators.AsString(d["id"])),
            PackageId = p.Id,
            Position = p.Resources.Count(x => x.State == ObjectState.Active),
        };
        ResourceWriter.Apply(ctx, r, d, isNew: true);
        ResourceValidationRunner.SchemaOf(r);
        if (upload is not null) await ResourceWriter.AttachUploadAsync(ctx, r, upload);
        p.Resources.Add(r);
        await DefaultViews.AddAsync(ctx, r);
        if (upload is not null)
        {
            await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
            await ResourceValidationRunner.OnUploadAsync(ctx, r);
        }
        return await SaveAsync(ctx, p, r);
    }

    private static async Task<JsonNode?> Update(ActionContext ctx, JsonObject d)
    {
        var (p, r) = await FindAsync(ctx, DataDict.Require(d, "id"));
        var upload = ResourceWriter.UploadOf(ctx, d);
        ResourceWriter.Apply(ctx, r, d, isNew: false);
        ResourceValidationRunner.SchemaOf(r);
        if (upload is not null)
        {
            await ResourceWriter.AttachUploadAsync(ctx, r, upload);
            await ResourceValidationRunner.OnUploadAsync(ctx, r);
        }
        return await SaveAsync(ctx, p, r);
    }

    private static async Task<JsonNode?> Patch(ActionContext ctx, JsonObject d)
    {
        var (_, r) = await FindAsync(ctx, DataDict.Require(d, "id"));
        var merged = ResourceDictizer.Dictize(r, ctx.Get<SiteUrls>());
        foreach (var (key, value) in d) merged[key] = value?.DeepClone();
        var result = PackageSchemas.ResourceUpdate.Validate(merged);
        if (!result.IsValid) throw new ValidationException(result.Errors);
        return await Update(ctx, result.Data);
    }

    private static async Task<JsonNode?> Delete(ActionContext ctx, JsonObject d)
    {
        var (p, r) = await FindAsync(ctx, DataDict.Require(d, "id"));
        r.State = ObjectState.Deleted;
        r.MetadataModified = ctx.Now;
        await DefaultViews.RemoveAsync(ctx, [r.Id]);
        RemovedResources.AfterCommit(ctx, [r.Id]);
        var position = 0;
        foreach (var other in p.Resources.Where(x => x.State == ObjectState.Active).OrderBy(x => x.Position))
            other.Position = position++;
        await SaveAsync(ctx, p, r);
        return null;
    }

    private static readonly string[] SearchableFields = ["name", "description", "format", "url", "hash", "mimetype", "resource_type"];

    private static async Task<JsonNode?> Search(ActionContext ctx, JsonObject d)
    {
        var terms = DataDict.StringList(d, "query") ?? throw ValidationException.For("query", Validators.MissingValue);
        if (d["query"] is JsonValue) terms = [DataDict.String(d, "query")!];
        var query = ctx.Db.Resources.AsNoTracking()
            .Where(r => r.State == ObjectState.Active && r.Package!.State == ObjectState.Active && !r.Package.Private);
        foreach (var term in terms)
        {
            var colon = term.IndexOf(':');
            if (colon <= 0) throw ValidationException.For("query", "Must be <field>:<value> pair(s)");
            var field = term[..colon].Trim();
            var value = term[(colon + 1)..].Trim().ToLowerInvariant();
            query = field switch
            {
                "name" => query.Where(r => r.Name != null && r.Name.ToLower().Contains(value)),
                "description" => query.Where(r => r.Description != null && r.Description.ToLower().Contains(value)),
                "format" => query.Where(r => r.Format != null && r.Format.ToLower().Contains(value)),
                "url" => query.Where(r => r.Url.ToLower().Contains(value)),
                "hash" => query.Where(r => r.Hash.ToLower().StartsWith(value)),
                "mimetype" => query.Where(r => r.Mimetype != null && r.Mimetype.ToLower().Contains(value)),
                "resource_type" => query.Where(r => r.ResourceType != null && r.ResourceType.ToLower().Contains(value)),
                _ => throw ValidationException.For("query", $"Field \"{field}\" not recognised in resource_search. Searchable fields: {string.Join(", ", SearchableFields)}"),
            };
        }
        var orderBy = DataDict.String(d, "order_by");
        query = orderBy switch
        {
            null or "" => query.OrderBy(r => r.PackageId).ThenBy(r => r.Position),
            "name" => query.OrderBy(r => r.Name),
            "format" => query.OrderBy(r => r.Format),
            "created" => query.OrderBy(r => r.Created),
            "last_modified" => query.OrderBy(r => r.LastModified),
            _ => throw ValidationException.For("order_by", $"Field \"{orderBy}\" can not be sorted on"),
        };
        var count = await query.CountAsync(ctx.CancellationToken);
        var offset = DataDict.Int(d, "offset", 0, min: 0);
        var limit = DataDict.Int(d, "limit", 1000, min: 0, max: 1000);
        var page = await query.Skip(offset).Take(limit).ToListAsync(ctx.CancellationToken);
        var urls = ctx.Get<SiteUrls>();
        return new JsonObject
        {
            ["count"] = count,
            ["results"] = new JsonArray(page.Select(r => (JsonNode?)ResourceDictizer.Dictize(r, urls)).ToArray()),
        };
    }

    private static async Task<(Package, Resource)> FindAsync(ActionContext ctx, string id)
    {
        var packageId = await ctx.Db.Resources.Where(r => r.Id == id && r.State == ObjectState.Active)
            .Select(r => r.PackageId).FirstOrDefaultAsync(ctx.CancellationToken) ?? throw new NotFoundException("Resource was not found.");
        var p = await PackageLookup.FindAsync(ctx.Db, packageId, ctx.CancellationToken) ?? throw new NotFoundException("Dataset was not found.");
        return (p, p.Resources.First(r => r.Id == id));
    }

    private static async Task<JsonNode?> SaveAsync(ActionContext ctx, Package p, Resource r)
    {
        p.MetadataModified = ctx.Now;
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        await ActivityLog.RecordPackageAsync(ctx, p, "changed package");
        return ResourceDictizer.Dictize(r, ctx.Get<SiteUrls>());
    }
}
