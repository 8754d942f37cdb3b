namespace Catalog.Core.Store;

/// <summary>An API token; only the SHA-256 of the secret is kept.</summary>
public sealed class ApiToken
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public User? User { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastAccess { get; set; }
}
