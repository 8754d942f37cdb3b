using Microsoft.AspNetCore.Mvc;

namespace Catalog.Staff.Pages.Staff;

public sealed class LoginModel : StaffPage
{
    protected override bool NeedsSignIn => false;

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Username { get; set; }
    [BindProperty] public string? Password { get; set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        Error = await Session.SignInAsync(Username?.Trim() ?? "", Password ?? "");
        if (Error is not null)
        {
            Response.StatusCode = 401;
            return Page();
        }
        // Only a path of the staff pages: never an address elsewhere (an open redirect).
        var target = ReturnUrl is { } r && r.StartsWith("/staff", StringComparison.Ordinal) && !r.StartsWith("//", StringComparison.Ordinal)
            && !r.Contains('\\') ? r : "/staff";
        return LocalRedirect(target);
    }
}
