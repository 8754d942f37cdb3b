using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Catalog.Api.Hosting;
using Catalog.Core.Dispatch;
using Catalog.Core;
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
            app.MapMethods(prefix, [HttpMethods.Get, HttpMethods.Post], HandleAsync)
                .DisableAntiforgery()
                .WithMetadata(ActionApiEndpoint.Instance)
                .RequireRateLimiting(ActionRateLimits.PolicyName);
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
            var options = http.RequestServices.GetRequiredService<IOptions<CatalogOptions>>().Value;
            // Whatever answers first, an unread body is drained only up to the small limit.
            RequestDecoder.SetBodyLimit(http, options.MaxRequestBytes);
            var limit = new BodyLimit(options.MaxRequestBytes, "message");
            var caller = await CallerResolution.ForRequestAsync(http);
            if (!isGet && action.AcceptsUpload && RequestDecoder.IsMultipart(http.Request))
            {
                // Every upload action needs a user: an anonymous upload is refused before its body is read.
                if (!caller.IsAuthenticated) throw new NotAuthorizedException($"Action {name} requires an authenticated user");
                limit = new BodyLimit(options.MaxUploadBytes + RequestDecoder.MultipartFraming, "upload");
            }
            var (data, files) = await RequestDecoder.DecodeAsync(http.Request, limit, http.RequestAborted);

            var callback = isGet ? JsonpCallbackOf(data) : null;
            if (callback is not null)
            {
                data.Remove("callback");
                data.Remove("_");
                // JSONP answers are readable by any site, so CKAN runs them as nobody.
                caller = Caller.Anonymous;
            }

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

    /// <summary>A usable JSONP callback name, or null (an unusable one is left to the action, as before).</summary>
    private static string? JsonpCallbackOf(JsonObject data) => data["callback"] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is var cb && JsonpCallback().IsMatch(cb) ? cb : null,
        // Repeated in the query string: which one to call is anyone's guess.
        _ => throw ValidationException.For("callback", "Must be a string"),
    };
}

/// <summary>Marks the Action API's endpoints, which resolve their caller before the rate limiter runs.</summary>
public sealed class ActionApiEndpoint
{
    public static readonly ActionApiEndpoint Instance = new();
    private ActionApiEndpoint() { }
}
