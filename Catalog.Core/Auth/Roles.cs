namespace Catalog.Core.Auth;

/// <summary>CKAN's organization and group roles and what each may do (authz ROLE_PERMISSIONS).</summary>
public static class Roles
{
    public const string Member = "member";
    public const string Editor = "editor";
    public const string Admin = "admin";

    public static readonly string[] All = [Member, Editor, Admin];

    public static class Permission
    {
        public const string Read = "read";
        public const string CreateDataset = "create_dataset";
        public const string UpdateDataset = "update_dataset";
        public const string DeleteDataset = "delete_dataset";
        public const string ManageGroup = "manage_group";
        /// <summary>Change the group or organization itself (admins only).</summary>
        public const string Update = "update";
        public const string Delete = "delete";
        public const string Membership = "membership";
    }

    private static readonly Dictionary<string, HashSet<string>> Grants = new()
    {
        [Editor] = [Permission.Read, Permission.CreateDataset, Permission.UpdateDataset, Permission.DeleteDataset, Permission.ManageGroup],
        [Member] = [Permission.Read, Permission.ManageGroup],
    };

    /// <summary>
    /// What a dataset collaborator may do to that dataset: members read it, editors and admins also edit and delete
    /// it (CKAN defers package_delete to package_update). Nothing reaches beyond the dataset.
    /// </summary>
    public static bool AllowsCollaborator(string role, string permission) => permission switch
    {
        Permission.Read => All.Contains(role),
        Permission.UpdateDataset or Permission.DeleteDataset => role is Editor or Admin,
        _ => false,
    };

    public static bool Allows(string role, string permission) =>
        role == Admin || (Grants.TryGetValue(role, out var set) && set.Contains(permission));
}
