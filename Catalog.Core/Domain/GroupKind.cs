
namespace Catalog.Core.Domain;

/// <summary>
/// Organizations and groups share one table and one set of handlers; this says which of the two an action serves
/// and how it is named in types, activities, filters and messages.
/// </summary>
public sealed record GroupKind(bool IsOrganization, string Noun, string ListFilterKey)
{
    public static readonly GroupKind Organization = new(true, "organization", "organizations");
    public static readonly GroupKind Group = new(false, "group", "groups");

    public static GroupKind Of(bool isOrganization) => isOrganization ? Organization : Group;

    /// <summary>The type given to new ones when the request names none.</summary>
    public string DefaultType => Noun;

    public string NotFoundMessage => IsOrganization ? "Organization was not found." : "Group was not found.";
}
