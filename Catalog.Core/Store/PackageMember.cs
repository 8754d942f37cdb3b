namespace Catalog.Core.Store;

/// <summary>
/// A dataset collaborator, as CKAN's package_member: a user given a role on one dataset, whatever organization they
/// belong to. <see cref="Capacity"/> is member (reads it while private), editor (edits it) or admin (also manages its
/// collaborators, when admin collaborators are allowed).
/// </summary>
public sealed class PackageMember
{
    public required string PackageId { get; set; }
    public Package? Package { get; set; }
    public required string UserId { get; set; }
    public User? User { get; set; }
    public required string Capacity { get; set; }
    public DateTime Modified { get; set; }
}
