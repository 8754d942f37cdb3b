namespace Catalog.Core.Auth;

/// <summary>Who is calling an action: a user (possibly sysadmin) or nobody.</summary>
/// <param name="Address">The client's network address when the call came over HTTP (password checks are limited per address).</param>
public sealed record Caller(string? UserId, string? UserName, bool IsSysadmin, string? Address = null)
{
    public static readonly Caller Anonymous = new(null, null, false);
    public bool IsAuthenticated => UserId is not null;
}
