using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Staff.Pages.Staff;

/// <summary>
/// The mechanical fixes (resource_table_fix): a dry run shows the file before and after side by side; applying
/// saves the fixed file as the resource's new version (the store keeps the original) and validates it again.
/// </summary>
public sealed class FixModel : StaffPage
{
    [BindProperty(SupportsGet = true)] public string Dataset { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string ResourceId { get; set; } = "";
    public string ResourceName { get; private set; } = "";
    public List<JsonObject> Fixes { get; private set; } = [];
    public List<string> Selected { get; private set; } = [];
    public JsonArray? Before { get; private set; }
    public JsonArray? After { get; private set; }

    public async Task OnGetAsync() => await PreviewAsync([]);

    public async Task<IActionResult> OnPostAsync(string[]? fixes, string? apply)
    {
        Selected = (fixes ?? []).Where(f => f.Length is > 0 and <= 100).Distinct().ToList();
        if (apply is null || Selected.Count == 0)
        {
            await PreviewAsync(Selected);
            return Page();
        }
        await ResourceAsync();
        await CallAsync("resource_table_fix", new JsonObject
        {
            ["resource_id"] = ResourceId, ["fixes"] = new JsonArray(Selected.Select(f => (JsonNode?)f).ToArray()), ["dry_run"] = false,
        });
        if (Session.HasAction("resource_validation_run"))
            await CallAsync("resource_validation_run", new JsonObject { ["resource_id"] = ResourceId });
        return Redirect($"/staff/dataset/{Uri.EscapeDataString(Dataset)}/resource/{Uri.EscapeDataString(ResourceId)}/report");
    }

    private async Task PreviewAsync(List<string> selected)
    {
        await ResourceAsync();
        if (!Session.HasAction("resource_table_fix")) return;
        var all = await CallAsync("resource_table_fix", new JsonObject
        {
            ["resource_id"] = ResourceId, ["fixes"] = new JsonArray(selected.Select(f => (JsonNode?)f).ToArray()), ["dry_run"] = true,
        });
        Fixes = (all?["fixes"] as JsonArray ?? all?["available"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        Before = all?["before"] as JsonArray;
        After = all?["after"] as JsonArray;
    }

    private async Task ResourceAsync()
    {
        var pkg = (await CallAsync("package_show", new JsonObject { ["id"] = Dataset }))!.AsObject();
        await StaffPermissions.RequireEditAsync(Session, pkg);
        var r = (pkg["resources"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(x => x["id"]?.ToString() == ResourceId)
            ?? throw new NotFoundException("Resource not found");
        ResourceName = r["name"]?.ToString() ?? ResourceId;
    }
}
