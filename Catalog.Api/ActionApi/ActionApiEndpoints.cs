using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Catalog.Core;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Microsoft.Extensions.Options;

namespace Catalog.Api.ActionApi;

/// <summary>HTTP ↔ actions: <c>GET|POST /api/action/{name}</c> and <c>/api/3/action/{name}</c>.</summary>
public static partial class ActionApiEndpoints
{
    public static IEndpointRouteBuilder MapActionApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api", () => Results.Json(new { version = 1 }));
        app.MapGet("/api/3", () => Results.Json(new { version = 3 }));
        foreach (var prefix in new[] { "/api/action/{name}", "/api/3/action/{name}" })
            app.MapMethods(prefix, [HttpMethods.Get, HttpMethods.Post], HandleAsync).DisableAntiforgery();
        return app;
    }

    [GeneratedRegex(@"^[A-Za-z_$][\w$.]{0,63}$")] private static partial Regex JsonpCallback();

    private static async Task<IResult> HandleAsync(string name, HttpContext http)
    {
        var dispatcher = http.RequestServices.GetRequiredService<ActionDispatcher>();
        var urls = http.RequestServices.GetRequiredService<SiteUrls>();
        var help = urls.Help(name, $"{http.Request.Scheme}://{http.Request.Host}");
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Catalog.ActionApi");

        var action = dispatcher.Registry.Find(name);
        if (action is null) return ApiResponses.BareString($"Bad request - Action name not known: {name}");
        var isGet = HttpMethods.IsGet(http.Request.Method);
        if (isGet && !action.SideEffectFree)
            return ApiResponses.BareString("Bad request - JSON Error: Invalid request. Please use POST method for your request");

        try
        {
            // Only uploads may exceed the server's default body limit.
            if (http.Request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true)
            {
                var options = http.RequestServices.GetRequiredService<IOptions<CatalogOptions>>().Value;
                RequestDecoder.AllowLargeBody(http, options.MaxUploadBytes + 1024 * 1024);
            }
            var (data, files) = await RequestDecoder.DecodeAsync(http.Request, http.RequestAborted);

            string? callback = null;
            if (isGet && data["callback"]?.GetValue<string>() is { } cb && JsonpCallback().IsMatch(cb))
            {
                callback = cb;
                data.Remove("callback");
                data.Remove("_");
            }
            // JSONP answers are readable by any site, so CKAN runs them as nobody.
            var caller = callback is null ? await CallerResolution.ResolveAsync(http) : Caller.Anonymous;

            var result = await dispatcher.InvokeAsync(name, caller, data, files, http.RequestAborted);
            var body = ApiResponses.Success(help, result);
            return callback is null
                ? ApiResponses.Write(body, StatusCodes.Status200OK)
                : Results.Content($"{callback}({body.ToJsonString(ApiResponses.Json)});", "application/javascript;charset=utf-8");
        }
        catch (BadRequestException e)
        {
            return ApiResponses.BareString(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            var (status, error) = ApiResponses.Error(e);
            if (status >= 500) logger.LogError(e, "Action {Action} failed", name);
            return ApiResponses.Write(ApiResponses.Failure(help, error), status);
        }
    }
}
