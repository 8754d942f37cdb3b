using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Staff.Pages.Staff;

/// <summary>A file's validation report (resource_validation_show), every problem by row and column.</summary>
public sealed class ReportModel : StaffPage
{
    [BindProperty(SupportsGet = true)] public string Dataset { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string ResourceId { get; set; } = "";
    public string ResourceName { get; private set; } = "";
    public bool Available { get; private set; }
    public JsonObject? Result { get; private set; }
    public List<JsonObject> Findings { get; private set; } = [];
    public int ErrorCount => Findings.Count(f => f["severity"]?.ToString() != "warning");
    public int WarningCount => Findings.Count(f => f["severity"]?.ToString() == "warning");
    public bool CanFix => Findings.Any(f => f["fix"] is not null) || Result?["status"]?.ToString() == "failure";

    public async Task OnGetAsync()
    {
        await ResourceAsync();
        Available = Session.HasAction("resource_validation_show");
        if (!Available) return;
        try { Result = (await CallAsync("resource_validation_show", new JsonObject { ["resource_id"] = ResourceId }))?.AsObject(); }
        catch (NotFoundException) { return; }
        Findings = (Result?["report"]?["tasks"] as JsonArray ?? []).SelectMany(t => t?["errors"] as JsonArray ?? [])
            .OfType<JsonObject>().ToList();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await ResourceAsync();
        await CallAsync("resource_validation_run", new JsonObject { ["resource_id"] = ResourceId });
        return RedirectToPage();
    }

    /// <summary>The resource must belong to the dataset in the path, and the member must be able to edit it.</summary>
    private async Task ResourceAsync()
    {
        var pkg = (await CallAsync("package_show", new JsonObject { ["id"] = Dataset }))!.AsObject();
        await StaffPermissions.RequireEditAsync(Session, pkg);
        var r = (pkg["resources"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(x => x["id"]?.ToString() == ResourceId)
            ?? throw new NotFoundException("Resource not found");
        ResourceName = r["name"]?.ToString() ?? ResourceId;
    }
}
