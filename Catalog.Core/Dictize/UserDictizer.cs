using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

/// <summary>
/// User entity → CKAN user dict. The e-mail, its hash and the sysadmin flag only for the user themself and sysadmins:
/// an MD5 of an address confirms a guessed one, and the flag points at the accounts worth attacking.
/// </summary>
public static class UserDictizer
{
    public static JsonObject Dictize(User u, int createdPackages, bool includePrivate)
    {
        var dict = new JsonObject
        {
            ["about"] = u.About,
            ["created"] = Timestamps.Format(u.Created),
            ["display_name"] = string.IsNullOrEmpty(u.Fullname) ? u.Name : u.Fullname,
        };
        if (includePrivate)
        {
            dict["email"] = u.Email;
            dict["email_hash"] = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes((u.Email ?? "").Trim().ToLowerInvariant())));
        }
        dict["fullname"] = u.Fullname;
        dict["id"] = u.Id;
        dict["image_display_url"] = u.ImageUrl ?? "";
        dict["image_url"] = u.ImageUrl ?? "";
        dict["name"] = u.Name;
        dict["number_created_packages"] = createdPackages;
        dict["state"] = u.State;
        if (includePrivate) dict["sysadmin"] = u.Sysadmin;
        return dict;
    }
}
