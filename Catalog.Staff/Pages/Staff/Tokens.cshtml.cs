using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Staff.Pages.Staff;

/// <summary>A member's own API tokens, through api_token_create / _list / _revoke as the member.</summary>
public sealed class TokensModel : StaffPage
{
    public List<JsonObject> Tokens { get; private set; } = [];
    public string? NewToken { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync(string? name)
    {
        try
        {
            var created = await CallAsync("api_token_create", new JsonObject { ["user"] = Caller.UserId, ["name"] = name ?? "" });
            NewToken = created?["token"]?.GetValue<string>();
        }
        catch (ValidationException e) { Error = FieldErrors.Text(e.Errors); Response.StatusCode = 400; }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string? jti)
    {
        // api_token_revoke's rule lets only the token's owner (or a sysadmin) revoke it.
        await CallAsync("api_token_revoke", new JsonObject { ["jti"] = jti ?? "" });
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        var list = await CallAsync("api_token_list", new JsonObject { ["user_id"] = Caller.UserId });
        Tokens = list is JsonArray a ? a.OfType<JsonObject>().ToList() : [];
    }
}
