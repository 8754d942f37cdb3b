namespace Catalog.Core.Store;

/// <summary>
/// Membership of a user or a dataset in a group or organization, as CKAN's member table:
/// for users <see cref="Capacity"/> is the role (member, editor, admin).
/// </summary>
public sealed class Member
{
    public required string Id { get; set; }
    public required string GroupId { get; set; }
    public Group? Group { get; set; }
    /// <summary>"user", "package" or "group".</summary>
    public required string TableName { get; set; }
    public required string TableId { get; set; }
    public required string Capacity { get; set; }
    public string State { get; set; } = ObjectState.Active;
}
