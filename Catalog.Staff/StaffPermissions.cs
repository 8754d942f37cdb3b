using System.Text.Json.Nodes;

namespace Catalog.Staff;

public static class StaffPermissions
{
    /// <summary>package_update's own rule: a member of another department meets 403 here as on the API.</summary>
    public static Task RequireEditAsync(StaffSession session, JsonObject pkg) =>
        session.RequireAsync("package_update", new JsonObject { ["id"] = pkg["id"]!.ToString() });
}
