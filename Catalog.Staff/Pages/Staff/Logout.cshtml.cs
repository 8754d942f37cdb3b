using Microsoft.AspNetCore.Mvc;

namespace Catalog.Staff.Pages.Staff;

/// <summary>Sign-out is a POST with its token: a link elsewhere cannot sign a member out.</summary>
public sealed class LogoutModel : StaffPage
{
    protected override bool NeedsSignIn => false;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await Session.SignOutAsync();
        return LocalRedirect("/staff/login");
    }
}
