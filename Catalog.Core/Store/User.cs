using Catalog.Core.Domain;

namespace Catalog.Core.Store;

public sealed class User : INamedEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? Fullname { get; set; }
    public string? Email { get; set; }
    public string? About { get; set; }
    public string? ImageUrl { get; set; }
    public string? PasswordHash { get; set; }
    public bool Sysadmin { get; set; }
    public string State { get; set; } = ObjectState.Active;
    public DateTime Created { get; set; }
}
