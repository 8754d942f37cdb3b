using System.Text.Json.Nodes;
using Catalog.Web.Localization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catalog.Web.Hosting;

/// <summary>What every citizen page has: the visitor's language, the actions, the settings, and the strict headers.</summary>
public abstract class CatalogPageModel : PageModel
{
    public Texts T { get; private set; } = Texts.Japanese;
    public UiOptions Ui { get; private set; } = new();
    protected PageActions Actions { get; private set; } = null!;

    /// <summary>Set by <see cref="Missing"/>: the page shows the friendly 404 instead of its content.</summary>
    public bool IsMissing { get; private set; }

    /// <summary>The page's title in the browser tab.</summary>
    public string Title { get; protected set; } = "";

    /// <summary>Machine-readable forms of this page, as (href, type, title) for &lt;link rel="alternate"&gt;.</summary>
    public List<(string Href, string Type, string Title)> Alternates { get; } = [];

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        T = Texts.ForRequest(HttpContext);
        Ui = HttpContext.RequestServices.GetRequiredService<IOptions<UiOptions>>().Value;
        Actions = HttpContext.RequestServices.GetRequiredService<PageActions>();
        SecurityHeaders.Apply(Response, Ui);
        await next();
    }

    /// <summary>The friendly page for something missing or not the visitor's to see (both answer 404: never tell them apart).</summary>
    protected IActionResult Missing()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        Title = T["notfound.title"];
        IsMissing = true;
        return Page();
    }

    /// <summary>This page's address in the other language.</summary>
    public string SwitchLanguageUrl(string lang)
    {
        var q = Request.Query.Where(kv => kv.Key != "lang").SelectMany(kv => kv.Value.Select(v => (Key: kv.Key, Value: v ?? "")))
            .Append((Key: "lang", Value: lang))
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}");
        return $"{Request.PathBase}{Request.Path}?{string.Join("&", q)}";
    }

    /// <summary>A whole number from a dict, whichever numeric type the action put there; 0 when absent.</summary>
    public static long L(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : v.TryGetValue<double>(out var d) ? (long)d : 0
        : 0;

    public static string S(JsonNode? node, string key) =>
        node?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?[key]?.ToString() ?? "";
}
