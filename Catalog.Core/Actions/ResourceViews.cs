using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.DataStore;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Catalog.Core.Views;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// resource_view_* and the default views (CKAN's resource views). A view is read by whoever may read its resource's
/// dataset (the one visibility rule, as resource_show) and changed by whoever may edit that dataset.
/// </summary>
public static class ResourceViews
{
    public static ActionRegistry AddResourceViewActions(this ActionRegistry r) => r
        .Read("resource_view_show", AuthRules.Anyone, Show,
            "Return the metadata of a resource view.\n\n:param id: the id of the resource view")
        .Read("resource_view_list", AuthRules.Anyone, List,
            "Return the views of a resource, in their order.\n\n:param id: the id of the resource")
        .Write("resource_view_create", ResourceViewAuth.Create, Create,
            "Create a resource view.\n\n:param resource_id: the resource\n:param title: the view's title\n:param description: (optional)\n:param view_type: one of image_view, datatables_view, map_view, webpage_view, text_view, video_view, audio_view\n\nThe view type's own settings (image_url, latitude_field …) are given as further keys.",
            ViewSchemas.Create)
        .Write("resource_view_update", ResourceViewAuth.Edit, Update,
            "Update a resource view: its title and description when given; its settings are replaced by those given.\nThe view type and resource can not change.\n\n:param id: the id of the resource view",
            ViewSchemas.Update)
        .Write("resource_view_delete", ResourceViewAuth.Edit, Delete,
            "Delete a resource view.\n\n:param id: the id of the resource view")
        .Write("resource_view_reorder", ResourceViewAuth.Reorder, Reorder,
            "Reorder the views of a resource: the listed views first, in that order, then the others.\n\n:param id: the id of the resource\n:param order: list of view ids")
        .Write("resource_view_clear", AuthRules.Sysadmin, Clear,
            "Delete every resource view of the site, or those of the given types. Sysadmins only.\n\n:param view_types: (optional) list of view types")
        .Write("resource_create_default_resource_views", ResourceViewAuth.ResourceDefaults, ResourceDefaults,
            "Create the default views a resource lacks (a table for tabular data, an image view, a map for rows with\nlatitude and longitude).\n\n:param resource: the resource dict (its id is what counts: the rest is read from the catalog)\n:param create_datastore_views: (optional, default false) only the views that show DataStore rows\n\nReturns the views created.")
        .Write("package_create_default_resource_views", ResourceViewAuth.PackageDefaults, PackageDefaults,
            "Create the default views the resources of a dataset lack.\n\n:param package: the dataset dict (its id or name is what counts)\n:param create_datastore_views: (optional, default false) only the views that show DataStore rows\n\nReturns the views created.");

    private static async Task<JsonNode?> Show(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "id");
        var view = await ctx.Db.ResourceViews.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ctx.CancellationToken)
            ?? throw new NotFoundException("Resource view not found");
        var packageId = await ReadableResourceAsync(ctx, view.ResourceId, asked: $"resource view {id}");
        return ResourceViewDictizer.Dictize(view, packageId);
    }

    private static async Task<JsonNode?> List(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "id");
        var packageId = await ReadableResourceAsync(ctx, id, asked: $"resource {id}");
        var views = await ctx.Db.ResourceViews.AsNoTracking().Where(v => v.ResourceId == id)
            .OrderBy(v => v.Order).ThenBy(v => v.Id).ToListAsync(ctx.CancellationToken);
        // As CKAN, only views of a type served here.
        return new JsonArray(views.Where(v => ViewTypes.Find(v.ViewType) is not null)
            .Select(v => (JsonNode?)ResourceViewDictizer.Dictize(v, packageId)).ToArray());
    }

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var viewTypeName = DataDict.Require(d, "view_type");
        // CKAN's own shape for this one error: a string, not a list.
        var type = ViewTypes.Find(viewTypeName)
            ?? throw new ValidationException(new JsonObject { ["view_type"] = $"No plugin found for view_type {viewTypeName}" });
        var config = ValidatedConfig(type, d);

        var resourceId = DataDict.Require(d, "resource_id");
        var view = new ResourceView
        {
            Id = Guid.NewGuid().ToString(), ResourceId = resourceId, Title = DataDict.Require(d, "title"),
            Description = DataDict.String(d, "description"), ViewType = type.Name, ConfigJson = config.ToJsonString(),
        };
        if (DataDict.String(d, "id") is { Length: > 0 } wanted)
        {
            // CKAN's empty_if_not_sysadmin and resource_view_id_does_not_exist.
            if (!ctx.Caller.IsSysadmin) throw ValidationException.For("id", "The input field id was not expected.");
            if (await ctx.Db.ResourceViews.AnyAsync(v => v.Id == wanted, ctx.CancellationToken))
                throw ValidationException.For("id", "ResourceView id already exists");
            view.Id = wanted;
        }
        var last = await ctx.Db.ResourceViews.Where(v => v.ResourceId == resourceId)
            .MaxAsync(v => (int?)v.Order, ctx.CancellationToken);
        view.Order = last is null ? 0 : last.Value + 1;
        ctx.Db.ResourceViews.Add(view);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return ResourceViewDictizer.Dictize(view, await PackageIdOfAsync(ctx, resourceId));
    }

    private static async Task<JsonNode?> Update(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "id");
        var view = await ctx.Db.ResourceViews.FirstOrDefaultAsync(v => v.Id == id, ctx.CancellationToken)
            ?? throw new NotFoundException("Resource view was not found.");
        // A view of a type no longer served can still be renamed; its settings are left as they are.
        if (ViewTypes.Find(view.ViewType) is { } type) view.ConfigJson = ValidatedConfig(type, d).ToJsonString();
        if (DataDict.String(d, "title") is { } title) view.Title = title;
        if (d.ContainsKey("description")) view.Description = DataDict.String(d, "description");
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return ResourceViewDictizer.Dictize(view, await PackageIdOfAsync(ctx, view.ResourceId));
    }

    private static async Task<JsonNode?> Delete(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "id");
        var view = await ctx.Db.ResourceViews.FirstOrDefaultAsync(v => v.Id == id, ctx.CancellationToken)
            ?? throw new NotFoundException("Resource view not found");
        ctx.Db.ResourceViews.Remove(view);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return new JsonObject { ["resource_id"] = view.ResourceId };
    }

    private static async Task<JsonNode?> Clear(ActionContext ctx, JsonObject d)
    {
        var types = d["view_types"] switch
        {
            null => null,
            JsonValue => [DataDict.String(d, "view_types")!],
            _ => DataDict.StringList(d, "view_types"),
        };
        var views = ctx.Db.ResourceViews.AsQueryable();
        if (types is { Count: > 0 }) views = views.Where(v => types.Contains(v.ViewType));
        await views.ExecuteDeleteAsync(ctx.CancellationToken);
        return null;
    }

    private static async Task<JsonNode?> Reorder(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "id");
        if (d["order"] is not JsonArray orderNode)
            throw ValidationException.For("order", d.ContainsKey("order") ? "Must supply order as a list" : Validation.Validators.MissingValue);
        var order = orderNode.Select(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
            : throw ValidationException.For("order", "Must supply order as a list")).ToList();
        if (order.Count != order.Distinct().Count()) throw ValidationException.For("order", "No duplicates allowed in order");

        var views = await ctx.Db.ResourceViews.Where(v => v.ResourceId == id).OrderBy(v => v.Order).ThenBy(v => v.Id)
            .ToListAsync(ctx.CancellationToken);
        var byId = views.ToDictionary(v => v.Id);
        foreach (var viewId in order.Where(v => !byId.ContainsKey(v)))
            throw ValidationException.For("order", $"View {viewId} does not exist");
        var newOrder = order.Concat(views.Select(v => v.Id).Where(v => !order.Contains(v))).ToList();
        for (var i = 0; i < newOrder.Count; i++) byId[newOrder[i]].Order = i;
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return new JsonObject { ["id"] = id, ["order"] = new JsonArray(newOrder.Select(v => (JsonNode?)v).ToArray()) };
    }

    private static async Task<JsonNode?> ResourceDefaults(ActionContext ctx, JsonObject d)
    {
        var id = ResourceViewAuth.IdOf(d, "resource");
        var r = await ctx.Db.Resources.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.State == ObjectState.Active, ctx.CancellationToken)
            ?? throw new NotFoundException("Resource was not found.");
        var added = await AddDefaultsAsync(ctx, r, DataDict.Bool(d, "create_datastore_views", false));
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return new JsonArray(added.Select(v => (JsonNode?)ResourceViewDictizer.Dictize(v, r.PackageId)).ToArray());
    }

    private static async Task<JsonNode?> PackageDefaults(ActionContext ctx, JsonObject d)
    {
        var p = await PackageLookup.FindAsync(ctx.Db, ResourceViewAuth.IdOf(d, "package"), ctx.CancellationToken)
            ?? throw new NotFoundException("Dataset was not found.");
        var dataStoreViews = DataDict.Bool(d, "create_datastore_views", false);
        var added = new List<ResourceView>();
        foreach (var r in p.Resources.Where(x => x.State == ObjectState.Active).OrderBy(x => x.Position))
            added.AddRange(await AddDefaultsAsync(ctx, r, dataStoreViews));
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return new JsonArray(added.Select(v => (JsonNode?)ResourceViewDictizer.Dictize(v, p.Id)).ToArray());
    }

    /// <summary>
    /// CKAN's two passes: without create_datastore_views the views that need no rows; with it, those that show the
    /// rows the DataStore holds (none when it holds none).
    /// </summary>
    private static async Task<List<ResourceView>> AddDefaultsAsync(ActionContext ctx, Resource r, bool dataStoreViews)
    {
        if (!dataStoreViews) return await DefaultViews.AddAsync(ctx, r);
        var table = await ctx.Get<IRowStore>().FindAsync(r.Id, ctx.CancellationToken);
        return table is null ? [] : await DefaultViews.AddAsync(ctx, r, table.Columns.Select(c => c.Id).ToList());
    }

    /// <summary>The view type's settings from the call, with its defaults; its errors as a validation error.</summary>
    private static JsonObject ValidatedConfig(ViewType type, JsonObject d)
    {
        var result = type.Config.Validate(d);
        if (!result.IsValid) throw new ValidationException(result.Errors);
        return result.Data;
    }

    /// <summary>The resource's dataset id when the caller may read it: CKAN's resource_show rule for views.</summary>
    private static async Task<string> ReadableResourceAsync(ActionContext ctx, string resourceId, string asked)
    {
        var packageId = await ctx.Db.Resources.AsNoTracking().Where(r => r.Id == resourceId && r.State == ObjectState.Active)
            .Select(r => r.PackageId).FirstOrDefaultAsync(ctx.CancellationToken) ?? throw new NotFoundException("Resource was not found.");
        return (await PackageLookup.ReadableAsync(ctx, packageId, asked)).Id;
    }

    private static async Task<string> PackageIdOfAsync(ActionContext ctx, string resourceId) =>
        await ctx.Db.Resources.AsNoTracking().Where(r => r.Id == resourceId).Select(r => r.PackageId).FirstAsync(ctx.CancellationToken);
}
