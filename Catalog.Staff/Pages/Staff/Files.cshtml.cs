using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Staff.Pages.Staff;

/// <summary>A dataset's files: several uploaded in one post, each through resource_create as the member.</summary>
public sealed class FilesModel : StaffPage
{
    [BindProperty(SupportsGet = true)] public string Dataset { get; set; } = "";
    public string Title { get; private set; } = "";
    public bool Created { get; private set; }
    public List<JsonObject> Resources { get; private set; } = [];
    public Dictionary<string, string> Status { get; } = [];
    public List<string> Messages { get; } = [];
    public List<string> Errors { get; } = [];

    public async Task OnGetAsync(bool created = false, int uploaded = 0)
    {
        Created = created;
        if (uploaded > 0) Messages.Add($"{uploaded} 件のファイルを登録しました。/ {uploaded} file(s) added.");
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var pkg = await LoadAsync();
        var form = await Request.ReadFormAsync(HttpContext.RequestAborted);
        var schema = form["schema"].ToString();
        if (schema.Length > 0 && !StandardSchemaChoices.IsKnown(schema)) Errors.Add("準拠する標準の指定が正しくありません。/ Unknown standard.");
        var files = form.Files.GetFiles("files").Where(f => f.FileName.Length > 0).ToList();
        if (files.Count == 0) Errors.Add("ファイルを選んでください。/ Choose at least one file.");
        if (files.Count > StaffAuth.MaxFilesPerPost) Errors.Add($"一度に登録できるファイルは {StaffAuth.MaxFilesPerPost} 個までです。/ At most {StaffAuth.MaxFilesPerPost} files at once.");
        if (Errors.Count > 0) { Response.StatusCode = 400; return Page(); }

        var added = 0;
        foreach (var file in files)
        {
            var data = new JsonObject { ["package_id"] = pkg["id"]!.ToString(), ["name"] = Path.GetFileName(file.FileName) };
            if (schema.Length > 0) data["schema"] = schema;
            try
            {
                await CallAsync("resource_create", data, new Dictionary<string, UploadedFile>
                {
                    ["upload"] = new(file.FileName, file.ContentType, file.OpenReadStream),
                });
                added++;
            }
            catch (ValidationException e)
            {
                Errors.Add($"{Path.GetFileName(file.FileName)}: {string.Join(" ", FieldErrors.From(e.Errors).SelectMany(kv => kv.Value))}");
            }
        }
        if (Errors.Count == 0) return Redirect($"/staff/dataset/{Uri.EscapeDataString(Dataset)}/files?uploaded={added}");
        if (added > 0) Messages.Add($"{added} 件のファイルを登録しました。/ {added} file(s) added.");
        Response.StatusCode = 400;
        await LoadAsync();
        return Page();
    }

    private async Task<JsonObject> LoadAsync()
    {
        var pkg = (await CallAsync("package_show", new JsonObject { ["id"] = Dataset }))!.AsObject();
        await StaffPermissions.RequireEditAsync(Session, pkg);
        Title = pkg["title"]?.ToString() is { Length: > 0 } t ? t : pkg["name"]!.ToString();
        Resources = (pkg["resources"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (Session.HasAction("resource_validation_show"))
            foreach (var r in Resources)
            {
                try
                {
                    var v = await CallAsync("resource_validation_show", new JsonObject { ["resource_id"] = r["id"]!.ToString() });
                    if (v?["status"]?.ToString() is { } s) Status[r["id"]!.ToString()] = s;
                }
                catch (NotFoundException) { /* never validated */ }
            }
        return pkg;
    }
}
