using Catalog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Web.Pages;

/// <summary>The friendly 404 for any address no page or endpoint answers.</summary>
public sealed class NotFoundModel : CatalogPageModel
{
    public IActionResult OnGet() => Missing();
}
