using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Staff.Pages.Staff;

public sealed class DatasetNewModel : StaffPage
{
    public DatasetForm Form { get; private set; } = null!;

    public async Task OnGetAsync() => Form = await DatasetFormLoader.LoadAsync(Session);

    public async Task<IActionResult> OnPostAsync()
    {
        Form = await DatasetFormLoader.LoadAsync(Session);
        Form.ReadPost(Request.Form);
        var data = Form.ToDataset(null);
        try
        {
            var created = await CallAsync("package_create", data);
            return Redirect($"/staff/dataset/{Uri.EscapeDataString(created!["name"]!.ToString())}/files?created=1");
        }
        catch (ValidationException e)
        {
            Form.Errors = FieldErrors.From(e.Errors);
            Form.Values["name"] = data["name"]!.ToString();
            Response.StatusCode = 400;
            return Page();
        }
    }
}
