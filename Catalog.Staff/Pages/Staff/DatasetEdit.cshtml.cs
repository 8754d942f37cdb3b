using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Staff.Pages.Staff;

/// <summary>Edits through package_patch as the member: the API's one rule decides who may edit.</summary>
public sealed class DatasetEditModel : StaffPage
{
    [BindProperty(SupportsGet = true)] public string Dataset { get; set; } = "";
    public DatasetForm Form { get; private set; } = null!;
    public bool Saved { get; private set; }
    public bool IsSysadmin => Caller.IsSysadmin;

    public async Task OnGetAsync(bool saved = false)
    {
        // Shown only to those who may edit: reading is not enough.
        var pkg = await EditableAsync();
        Form = await DatasetFormLoader.LoadAsync(Session);
        Form.ReadDataset(pkg);
        Saved = saved;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var pkg = await EditableAsync();
        Form = await DatasetFormLoader.LoadAsync(Session);
        Form.ReadPost(Request.Form);
        var data = Form.ToDataset(pkg);
        data["id"] = pkg["id"]!.ToString();
        // Only a sysadmin's override means anything; the action itself decides and records it.
        if (Caller.IsSysadmin && Request.Form["validation_override"] == "true") data["validation_override"] = true;
        try
        {
            var updated = await CallAsync("package_patch", data);
            return Redirect($"/staff/dataset/{Uri.EscapeDataString(updated!["name"]!.ToString())}/edit?saved=true");
        }
        catch (ValidationException e)
        {
            Form.Errors = FieldErrors.From(e.Errors);
            Response.StatusCode = 400;
            return Page();
        }
    }

    private async Task<JsonObject> EditableAsync()
    {
        var pkg = (await CallAsync("package_show", new JsonObject { ["id"] = Dataset }))!.AsObject();
        await StaffPermissions.RequireEditAsync(Session, pkg);
        return pkg;
    }
}
