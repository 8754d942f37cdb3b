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

    /// <summary>
    /// The dry run: first the fixes there are (with how many findings of this file each repairs), then the file with
    /// the chosen ones, by default every fix that repairs something, before and after.
    /// </summary>
    private async Task PreviewAsync(List<string> selected)
    {
        await ResourceAsync();
        var listed = await DryRunAsync([]);
        Fixes = (listed?["available"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (selected.Count == 0)
            selected = Fixes.Where(f => f["findings"]?.GetValue<int>() > 0).Select(f => f["id"]!.ToString()).ToList();
        Selected = selected;
        if (selected.Count == 0) return;
        var preview = await DryRunAsync(selected);
        Before = preview?["before"] as JsonArray;
        After = preview?["after"] as JsonArray;
    }

    private Task<JsonNode?> DryRunAsync(List<string> fixes) => CallAsync("resource_table_fix", new JsonObject
    {
        ["resource_id"] = ResourceId, ["fixes"] = new JsonArray(fixes.Select(f => (JsonNode?)f).ToArray()), ["dry_run"] = true,
    });

    private async Task ResourceAsync()
    {
        var pkg = (await CallAsync("package_show", new JsonObject { ["id"] = Dataset }))!.AsObject();
        await StaffPermissions.RequireEditAsync(Session, pkg);
        var r = (pkg["resources"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(x => x["id"]?.ToString() == ResourceId)
            ?? throw new NotFoundException("Resource not found");
        ResourceName = r["name"]?.ToString() ?? ResourceId;
    }
}
