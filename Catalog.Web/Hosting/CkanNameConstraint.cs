using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Catalog.Web.Hosting;

/// <summary>
/// A CKAN name or id: lower-case letters, digits, '-' and '_', 2–100 characters. No dot, so
/// <c>/dataset/{id}.ttl</c> and the other machine-readable forms stay free for their own endpoints.
/// </summary>
public sealed partial class CkanNameConstraint : IRouteConstraint
{
    public const string Name = "ckanname";

    [GeneratedRegex("^[a-z0-9_-]{2,100}$")]
    private static partial Regex Pattern();

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var v) && v?.ToString() is { } s && Pattern().IsMatch(s);
}
