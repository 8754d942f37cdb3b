using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.OData;

namespace Catalog.Api.OData.Catalog;

/// <summary>
/// The query limits of the catalog feed, and its refusals as OData errors: pages of <see cref="PageSize"/> with
/// a next link, <c>$top</c> up to <see cref="MaxTopValue"/>, small filter trees and one level of expansion.
/// </summary>
public sealed class CatalogQueryAttribute : EnableQueryAttribute
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
        base.OnActionExecuting(context);
        context.Result = AsODataError(context.Result);
    }

    public override void OnActionExecuted(Microsoft.AspNetCore.Mvc.Filters.ActionExecutedContext context)
    {
        base.OnActionExecuted(context);
        context.Result = AsODataError(context.Result);
    }

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
