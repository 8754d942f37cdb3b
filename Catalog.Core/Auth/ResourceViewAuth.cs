using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Auth;

/// <summary>
/// Who may change resource views (CKAN's auth for resource_view_*): whoever may edit the resource's dataset.
/// Reading views is decided where they are loaded, by the dataset's visibility, as for resource_show.
/// </summary>
public static class ResourceViewAuth
{
    /// <summary>resource_view_create: the resource named by resource_id.</summary>
    public static Task Create(ActionContext ctx, JsonObject data) =>
        PackageAuth.ResourceUpdate(ctx, new JsonObject { ["id"] = DataDict.Require(data, "resource_id") });

    /// <summary>resource_view_update and _delete: the resource of the view named by id.</summary>
    public static async Task Edit(ActionContext ctx, JsonObject data)
    {
        var id = DataDict.Require(data, "id");
        var resourceId = await ctx.Db.ResourceViews.AsNoTracking().Where(v => v.Id == id).Select(v => v.ResourceId)
            .FirstOrDefaultAsync(ctx.CancellationToken) ?? throw new NotFoundException("Resource view not found, cannot check auth.");
        await PackageAuth.ResourceUpdate(ctx, new JsonObject { ["id"] = resourceId });
    }

    /// <summary>resource_view_reorder: id is the resource's.</summary>
    public static Task Reorder(ActionContext ctx, JsonObject data) =>
        PackageAuth.ResourceUpdate(ctx, new JsonObject { ["id"] = DataDict.Require(data, "id") });

    /// <summary>resource_create_default_resource_views: the resource dict's id.</summary>
    public static Task ResourceDefaults(ActionContext ctx, JsonObject data) =>
        PackageAuth.ResourceUpdate(ctx, new JsonObject { ["id"] = IdOf(data, "resource") });

    /// <summary>package_create_default_resource_views: package_update on the dataset dict's id (or name).</summary>
    public static Task PackageDefaults(ActionContext ctx, JsonObject data) =>
        PackageAuth.Update(ctx, new JsonObject { ["id"] = IdOf(data, "package") });

    /// <summary>The id (or, for a dataset, the name) inside a dict argument; CKAN's "Missing value" when absent.</summary>
    internal static string IdOf(JsonObject data, string key)
    {
        if (data[key] is not JsonObject dict) throw ValidationException.For(key, Validation.Validators.MissingValue);
        return DataDict.String(dict, "id") is { Length: > 0 } id ? id
            : key == "package" && DataDict.String(dict, "name") is { Length: > 0 } name ? name
            : throw ValidationException.For(key, "Missing value: id");
    }
}
