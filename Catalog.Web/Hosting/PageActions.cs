using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Microsoft.AspNetCore.Http;

namespace Catalog.Web.Hosting;

/// <summary>
/// The pages' one way to the catalog: the same actions as the API, through the dispatcher, as the visitor. The
/// citizen pages have no sign-in, so the visitor is anonymous and Core's visibility rule shows public data only.
/// </summary>
public sealed class PageActions(ActionDispatcher dispatcher, IHttpContextAccessor http)
{
    private Caller Visitor => Caller.Anonymous with { Address = http.HttpContext?.Connection.RemoteIpAddress?.ToString() };

    public Task<JsonNode?> CallAsync(string action, JsonObject data) =>
        dispatcher.InvokeAsync(action, Visitor, data, ct: http.HttpContext?.RequestAborted ?? default);

    /// <summary>The action's result, or null when the thing is missing or not the visitor's to read (never told apart).</summary>
    public async Task<JsonNode?> FindAsync(string action, JsonObject data)
    {
        try { return await CallAsync(action, data); }
        catch (NotFoundException) { return null; }
        catch (NotAuthorizedException) { return null; }
    }
}
