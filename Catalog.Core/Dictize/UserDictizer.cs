using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

/// <summary>User entity → CKAN user dict; the e-mail only for the user themself and sysadmins.</summary>
public static class UserDictizer
{
    public static JsonObject Dictize(User u, int createdPackages, bool includeEmail)
    {
        var dict = new JsonObject
        {
            ["about"] = u.About,
            ["created"] = Timestamps.Format(u.Created),
            ["display_name"] = string.IsNullOrEmpty(u.Fullname) ? u.Name : u.Fullname,
            ["email_hash"] = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes((u.Email ?? "").Trim().ToLowerInvariant()))),
            ["fullname"] = u.Fullname,
            ["id"] = u.Id,
            ["image_display_url"] = u.ImageUrl ?? "",
            ["image_url"] = u.ImageUrl ?? "",
            ["name"] = u.Name,
            ["number_created_packages"] = createdPackages,
            ["state"] = u.State,
            ["sysadmin"] = u.Sysadmin,
        };
        if (includeEmail) dict["email"] = u.Email;
        return dict;
    }
}
