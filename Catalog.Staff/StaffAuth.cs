namespace Catalog.Staff;

/// <summary>Names the staff pages share.</summary>
public static class StaffAuth
{
    /// <summary>The cookie scheme, and the cookie's name.</summary>
    public const string Scheme = "catalog_staff";
    public const string UserIdClaim = "catalog_user_id";
    /// <summary>How many files one post of the upload form may carry.</summary>
    public const int MaxFilesPerPost = 10;
}
