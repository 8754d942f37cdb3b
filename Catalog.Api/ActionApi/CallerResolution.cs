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

    private static string? Header(HttpContext http, string name) =>
        http.Request.Headers.TryGetValue(name, out var v) && v.ToString() is { Length: > 0 } s ? s.Trim() : null;
}
