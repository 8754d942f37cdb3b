using System.Text.Json.Nodes;
using Catalog.Core.Validation;
using Catalog.Web.Hosting;
using Catalog.Web.Rendering;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Web.Pages.Dataset;

/// <summary>
/// A dataset as CKAN's /dataset/{name}: the metadata table labelled from the metadata schema, the licence and how to
/// credit it, the resources, and the rows of its first DataStore resource (preview, chart, map).
/// </summary>
public sealed class ShowModel : CatalogPageModel
{
    public JsonObject Dataset { get; private set; } = [];
    public IReadOnlyList<(string Label, string Value)> Metadata { get; private set; } = [];
    public RowsView? Rows { get; private set; }
    public string Name => S(Dataset, "name");
    public string Attribution { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string name)
    {
        if ((await Actions.FindAsync("package_show", new JsonObject { ["id"] = name }))?.AsObject() is not { } dataset) return Missing();
        // A dataset is found by its id too; its page has one address, its name.
        if (S(dataset, "name") != name) return RedirectPermanent($"/dataset/{S(dataset, "name")}");
        Dataset = dataset;
        Title = S(dataset, "title") is { Length: > 0 } t ? t : name;
        AddAlternates(this, name);
        Metadata = MetadataRows(dataset);
        Attribution = T.Format("licence.attribution", S(dataset["organization"], "title"), Title, S(dataset, "license_title"));
        var firstRows = (dataset["resources"]?.AsArray() ?? []).FirstOrDefault(r => r?["datastore_active"]?.GetValue<bool>() == true);
        if (firstRows is not null) Rows = await RowsView.LoadAsync(Actions, S(firstRows, "id"));
        return Page();
    }

    /// <summary>The machine-readable forms of a dataset: DCAT (Turtle, RDF/XML, JSON-LD) and the CKAN API.</summary>
    public static void AddAlternates(CatalogPageModel page, string name)
    {
        page.Alternates.Add(($"/dataset/{name}.ttl", "text/turtle", "DCAT (Turtle)"));
        page.Alternates.Add(($"/dataset/{name}.rdf", "application/rdf+xml", "DCAT (RDF/XML)"));
        page.Alternates.Add(($"/dataset/{name}.jsonld", "application/ld+json", "DCAT (JSON-LD)"));
        page.Alternates.Add(($"/api/3/action/package_show?id={name}", "application/json", "CKAN API"));
    }

    /// <summary>Each field of the metadata schema the dataset fills, labelled in the visitor's language, choices by their label.</summary>
    private List<(string, string)> MetadataRows(JsonObject d)
    {
        var extras = (d["extras"]?.AsArray() ?? []).ToDictionary(e => S(e, "key"), e => S(e, "value"));
        var rows = new List<(string, string)>();
        foreach (var field in MetadataSchema.Default.DatasetFields)
        {
            if (field.Name is "title" or "notes" or "resources" or "name" or "owner_org" or "private" or "tag_string" or "license_id") continue;
            var value = field.Place == FieldPlace.Extra ? extras.GetValueOrDefault(field.Name) : Display(d[field.Name]);
            if (string.IsNullOrWhiteSpace(value)) continue;
            if (field.Choices.Count > 0 && field.Choice(value) is { } choice) value = T.Pick(choice.Label);
            rows.Add((T.Pick(field.Label), value));
        }
        rows.Add((T["dataset.created"], Dates.Short(S(d, "metadata_created"))));
        rows.Add((T["dataset.modified"], Dates.Short(S(d, "metadata_modified"))));
        return rows;
    }

    private static string? Display(JsonNode? n) => n switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a => string.Join(", ", a.Select(x => x is JsonObject o ? S(o, "title") is { Length: > 0 } t ? t : S(o, "name") : x?.ToString())),
        JsonObject o => S(o, "title"),
        var x => x.ToJsonString(),
    };
}
