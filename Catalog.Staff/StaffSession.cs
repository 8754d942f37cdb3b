using System.Security.Claims;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Staff;

/// <summary>
/// The signed-in staff member of one request, and the one way pages reach the catalog: the same actions as the API,
/// called as that member, so the same rules decide what they may see and edit.
/// </summary>
public sealed class StaffSession(IHttpContextAccessor http, ActionDispatcher dispatcher, IServiceScopeFactory scopes)
{
    private Caller? _caller;
    private bool _resolved;

    private HttpContext Http => http.HttpContext ?? throw new InvalidOperationException("No request");

    private string? Address => Http.Connection.RemoteIpAddress?.ToString();

    /// <summary>The caller behind the cookie: the account is read again each request, so a deleted account or a
    /// revoked sysadmin right takes effect at once rather than when the cookie expires.</summary>
    public async Task<Caller?> CallerAsync()
    {
        if (_resolved) return _caller;
        _resolved = true;
        var auth = await Http.AuthenticateAsync(StaffAuth.Scheme);
        if (auth.Principal?.FindFirstValue(StaffAuth.UserIdClaim) is not { } id) return null;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var user = await UserLookup.FindAsync(db, id, Http.RequestAborted, tracking: false);
        if (user is not { State: ObjectState.Active } || user.Id != id) return null;
        return _caller = new Caller(user.Id, user.Name, user.Sysadmin, Address);
    }

    public Caller Caller => _caller ?? throw new InvalidOperationException("Not signed in");

    /// <summary>Checks the password through Core's attempts counter (lockout per account and per address).</summary>
    /// <returns>null when signed in, else the message to show.</returns>
    public async Task<string?> SignInAsync(string userName, string password)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var attempts = scope.ServiceProvider.GetRequiredService<PasswordAttempts>();
        const string wrong = "ユーザー名またはパスワードが違います。/ Wrong user name or password.";
        if (userName.Length is 0 or > 100 || password.Length is 0 or > 1000) return wrong;
        var user = await UserLookup.FindAsync(db, userName, Http.RequestAborted);
        if (user is not { State: ObjectState.Active } || user.Name != userName) return wrong;
        bool right;
        try { right = attempts.Verify(user, password, Address); }
        catch (NotAuthorizedException)
        {
            var wait = attempts.LockedFor(user.Id, Address);
            var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
            return $"パスワードの誤りが続いたため、このアカウントは一時的にロックされています。約 {minutes} 分後にもう一度お試しください。/ Too many failed attempts: try again in about {minutes} minutes.";
        }
        if (!right) return wrong;
        await db.SaveChangesAsync(Http.RequestAborted); // an upgraded password hash
        var identity = new ClaimsIdentity(
            [new Claim(StaffAuth.UserIdClaim, user.Id), new Claim(ClaimTypes.Name, user.Name)], StaffAuth.Scheme);
        await Http.SignInAsync(StaffAuth.Scheme, new ClaimsPrincipal(identity));
        return null;
    }

    public Task SignOutAsync() => Http.SignOutAsync(StaffAuth.Scheme);

    public Task<JsonNode?> CallAsync(string action, JsonObject data, IReadOnlyDictionary<string, UploadedFile>? files = null) =>
        dispatcher.InvokeAsync(action, Caller, data, files, Http.RequestAborted);

    /// <summary>
    /// Runs only the auth rule of <paramref name="action"/>: pages that lead to a write (an edit form) are refused up
    /// front by the same rule the write will meet.
    /// </summary>
    /// <exception cref="NotAuthorizedException">The member may not.</exception>
    public async Task RequireAsync(string action, JsonObject data)
    {
        var definition = dispatcher.Registry.Find(action) ?? throw new UnknownActionException(action);
        await using var scope = scopes.CreateAsyncScope();
        var ctx = new ActionContext(Caller, scope.ServiceProvider, new Dictionary<string, UploadedFile>(), Http.RequestAborted);
        await definition.Auth(ctx, data);
    }

    public bool HasAction(string action) => dispatcher.Registry.Find(action) is not null;
}
