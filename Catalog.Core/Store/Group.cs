using Catalog.Core.Domain;

namespace Catalog.Core.Store;

/// <summary>A group or an organization: CKAN keeps both in one table, told apart by <see cref="IsOrganization"/>.</summary>
public sealed class Group : INamedEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string ImageUrl { get; set; } = "";
    public string Type { get; set; } = "group";
    public bool IsOrganization { get; set; }
    public string ApprovalStatus { get; set; } = "approved";
    public string State { get; set; } = ObjectState.Active;
    public DateTime Created { get; set; }
    public List<GroupExtra> Extras { get; set; } = [];
}

public sealed class GroupExtra : IExtra
{
    public required string GroupId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}
