using System.Text.Json.Nodes;
using Catalog.Core.DataStore;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Views;

/// <summary>
/// The views a resource gets without anyone asking, as CKAN creates them when its default view plugins are on
/// (ckan.views.default_views): a table for tabular data the DataStore holds or will hold, an image view for
/// images, and a map when the DataStore's columns include latitude and longitude. A type the resource already has a
/// view of is never added twice, so calling this again (a second upload, a re-run) changes nothing.
/// </summary>
public static class DefaultViews
{
    /// <summary>CKAN's image_view default formats (ckan.preview.image_formats).</summary>
    private static readonly HashSet<string> ImageFormats = new(["png", "jpeg", "jpg", "gif"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Formats the DataStore loads (CSV, TSV) or a client may load into it (XLSX through datastore_create).</summary>
    private static readonly HashSet<string> TabularFormats = new(["csv", "tsv", "xlsx"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Adds the default views <paramref name="r"/> lacks to the unit of work and returns them. Without
    /// <paramref name="dataStoreColumns"/> only views that need no rows yet (CKAN's first pass, at resource creation);
    /// with them, the views that show rows (its second pass, once the DataStore holds the table). A resource created in
    /// this unit of work (<paramref name="newResource"/>) has no stored views: the store is not asked.
    /// </summary>
    public static async Task<List<ResourceView>> AddAsync(ActionContext ctx, Resource r, IReadOnlyList<string>? dataStoreColumns = null,
        bool newResource = false)
    {
        var existing = newResource ? []
            : await ctx.Db.ResourceViews.Where(v => v.ResourceId == r.Id).Select(v => new { v.ViewType, v.Order }).ToListAsync(ctx.CancellationToken);
        existing.AddRange(ctx.Db.ResourceViews.Local.Where(v => v.ResourceId == r.Id && ctx.Db.Entry(v).State == EntityState.Added)
            .Select(v => new { v.ViewType, v.Order }));
        var types = existing.Select(v => v.ViewType).ToHashSet();
        var order = existing.Count == 0 ? 0 : existing.Max(v => v.Order) + 1;

        var wanted = new List<(string Type, JsonObject Config)>();
        var format = (r.Format ?? "").Trim().TrimStart('.');
        if (dataStoreColumns is null)
        {
            if (ImageFormats.Contains(format)) wanted.Add((ViewTypes.Image, new JsonObject()));
            if (TabularFormats.Contains(format) || IngestionQueue.FormatFor(r) is TableFormat.Csv or TableFormat.Tsv or TableFormat.Spreadsheet || r.DatastoreActive)
                wanted.Add((ViewTypes.Table, new JsonObject()));
        }
        else
        {
            wanted.Add((ViewTypes.Table, new JsonObject()));
            if (CoordinateColumns.Find(dataStoreColumns) is { } coordinates)
                wanted.Add((ViewTypes.Map, new JsonObject { ["latitude_field"] = coordinates.Latitude, ["longitude_field"] = coordinates.Longitude }));
        }

        var added = new List<ResourceView>();
        foreach (var (typeName, config) in wanted.Where(w => !types.Contains(w.Type)))
        {
            var type = ViewTypes.Find(typeName)!;
            // The type's defaults (the table's page settings) are filled in as for a view created by hand.
            var settings = type.Config.Validate(config).Data;
            var view = new ResourceView
            {
                Id = Guid.NewGuid().ToString(), ResourceId = r.Id, Title = type.DefaultTitle, ViewType = type.Name,
                Order = order++, ConfigJson = settings.ToJsonString(),
            };
            ctx.Db.ResourceViews.Add(view);
            added.Add(view);
        }
        return added;
    }

    /// <summary>Removes every view of the resources (resource_delete, and resources a dataset update drops).</summary>
    public static Task RemoveAsync(ActionContext ctx, IReadOnlyCollection<string> resourceIds) =>
        ctx.Db.ResourceViews.Where(v => resourceIds.Contains(v.ResourceId)).ExecuteDeleteAsync(ctx.CancellationToken);
}
