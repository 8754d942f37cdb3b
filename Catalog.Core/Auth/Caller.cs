namespace Catalog.Core.Auth;

/// <summary>Who is calling an action: a user (possibly sysadmin) or nobody.</summary>
public sealed record Caller(string? UserId, string? UserName, bool IsSysadmin)
{
    public static readonly Caller Anonymous = new(null, null, false);
    public bool IsAuthenticated => UserId is not null;
}
