using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.OData;

namespace Catalog.Api.OData.Catalog;

/// <summary>
/// The query limits of the catalog feed, and its refusals as OData errors: pages of <see cref="PageSize"/> with
/// a next link, <c>$top</c> up to <see cref="MaxTopValue"/>, small filter trees and one level of expansion.
/// </summary>
public sealed partial class CatalogQueryAttribute : EnableQueryAttribute
{
    public const int Page = 100;
    public const int MaxTopValue = 1000;

    public CatalogQueryAttribute()
    {
        PageSize = Page;
        MaxTop = MaxTopValue;
        MaxSkip = 1_000_000;
        MaxNodeCount = 100;
        MaxExpansionDepth = 1;
        MaxAnyAllExpressionDepth = 2;
        MaxOrderByNodeCount = 5;
        AllowedQueryOptions = AllowedQueryOptions.Filter | AllowedQueryOptions.Select | AllowedQueryOptions.OrderBy
            | AllowedQueryOptions.Top | AllowedQueryOptions.Skip | AllowedQueryOptions.Count | AllowedQueryOptions.Expand
            | AllowedQueryOptions.SkipToken | AllowedQueryOptions.Format;
        // matchesPattern runs a regular expression the caller wrote: left out rather than time-limited.
        AllowedFunctions = AllowedFunctions.AllFunctions & ~AllowedFunctions.MatchesPattern;
    }

    public override void OnActionExecuting(Microsoft.AspNetCore.Mvc.Filters.ActionExecutingContext context)
    {
        ClampPreferredPageSize(context.HttpContext.Request);
        base.OnActionExecuting(context);
        context.Result = AsODataError(context.Result);
    }

    public override void OnActionExecuted(Microsoft.AspNetCore.Mvc.Filters.ActionExecutedContext context)
    {
        base.OnActionExecuted(context);
        context.Result = AsODataError(context.Result);
    }

    /// <summary>A client may ask for smaller pages (<c>Prefer: odata.maxpagesize</c>), never for larger ones.</summary>
    private static void ClampPreferredPageSize(HttpRequest request)
    {
        if (!request.Headers.TryGetValue("Prefer", out var prefer)) return;
        request.Headers["Prefer"] = MaxPageSize().Replace(prefer.ToString(), m =>
            long.TryParse(m.Groups[2].Value, out var n) && n is > 0 and <= Page ? m.Value : m.Groups[1].Value + Page);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"((?:odata\.)?maxpagesize\s*=\s*)""?(\d+)""?", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex MaxPageSize();

    /// <summary>The library refuses with a <see cref="SerializableError"/>; the feed answers in OData's error format.</summary>
    private static IActionResult? AsODataError(IActionResult? result)
    {
        if (result is not BadRequestObjectResult { Value: not ODataError } bad) return result;
        var message = bad.Value is SerializableError error
            ? string.Join(" ", new[] { "Message", "ExceptionMessage" }.Select(k => error.GetValueOrDefault(k) as string).OfType<string>())
            : "The query is not valid.";
        return new BadRequestObjectResult(new ODataError { Code = "BadRequest", Message = message.Length > 0 ? message : "The query is not valid." });
    }
}
