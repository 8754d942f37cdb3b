using System.Text.Json.Nodes;
using Catalog.Web.Hosting;
using Catalog.Web.Rendering;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Web.Pages.Dataset;

/// <summary>A resource as CKAN's /dataset/{name}/resource/{id}: its facts, download, rows, and the OData feed of its rows.</summary>
public sealed class ResourceModel : CatalogPageModel
{
    public JsonObject Dataset { get; private set; } = [];
    public JsonObject Resource { get; private set; } = [];
    public RowsView? Rows { get; private set; }
    /// <summary>The resource's views (resource_view_list), in their order.</summary>
    public IReadOnlyList<JsonObject> Views { get; private set; } = [];
    public string Name => S(Dataset, "name");
    public string Id => S(Resource, "id");

    public async Task<IActionResult> OnGetAsync(string name, string id)
    {
        if ((await Actions.FindAsync("package_show", new JsonObject { ["id"] = name }))?.AsObject() is not { } dataset) return Missing();
        // The resource must be one of this dataset's: a resource of another (perhaps private) dataset is never shown here.
        if ((dataset["resources"]?.AsArray() ?? []).FirstOrDefault(r => S(r, "id") == id) is not JsonObject resource) return Missing();
        if (S(dataset, "name") != name) return RedirectPermanent($"/dataset/{S(dataset, "name")}/resource/{id}");
        Dataset = dataset;
        Resource = resource;
        Title = $"{(S(resource, "name") is { Length: > 0 } n ? n : id)} - {S(dataset, "title")}";
        ShowModel.AddAlternates(this, name);
        if (resource["datastore_active"]?.GetValue<bool>() == true) Rows = await RowsView.LoadAsync(Actions, id);
        Views = (await Actions.FindAsync("resource_view_list", new JsonObject { ["id"] = id }))?.AsArray().OfType<JsonObject>().ToList() ?? [];
        return Page();
    }
}
