using Catalog.Core.Auth;

namespace Catalog.Api.ActionApi;

/// <summary>The API token is read raw from <c>Authorization</c> and from ckanapi's <c>X-CKAN-API-Key</c>.</summary>
public static class CallerResolution
{
    public static async Task<Caller> ResolveAsync(HttpContext http) =>
        (await TokenCallerAsync(http)) with { Address = http.Connection.RemoteIpAddress?.ToString() };

    private static async Task<Caller> TokenCallerAsync(HttpContext http)
    {
        var token = Header(http, "Authorization") ?? Header(http, "X-CKAN-API-Key");
        if (token is null) return Caller.Anonymous;
        // Tolerate the "Bearer " prefix some tools add; CKAN core does not need it.
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = token[7..].Trim();
        var authenticator = http.RequestServices.GetRequiredService<TokenAuthenticator>();
        var caller = await authenticator.AuthenticateAsync(token, http.RequestAborted);
        if (!caller.IsAuthenticated && Header(http, "X-CKAN-API-Key") is { } alt && alt != token)
            caller = await authenticator.AuthenticateAsync(alt, http.RequestAborted);
        return caller;
    }

    /// <summary>
    /// The caller of this request, resolved once: the rate limiter needs it before the endpoint runs, and the
    /// endpoint before it reads the body.
    /// </summary>
    public static async ValueTask<Caller> ForRequestAsync(HttpContext http)
    {
        if (http.Features.Get<ResolvedCaller>() is { } known) return known.Caller;
        var caller = await ResolveAsync(http);
        http.Features.Set(new ResolvedCaller(caller));
        return caller;
    }

    /// <summary>The caller if <see cref="ForRequestAsync"/> has run for this request.</summary>
    public static Caller? Resolved(HttpContext http) => http.Features.Get<ResolvedCaller>()?.Caller;

    private sealed record ResolvedCaller(Caller Caller);

    private static string? Header(HttpContext http, string name) =>
        http.Request.Headers.TryGetValue(name, out var v) && v.ToString() is { Length: > 0 } s ? s.Trim() : null;
}
