namespace Catalog.Core.Licenses;

/// <summary>One licence as CKAN describes it; every flag is a string ("True"/"False"), as in CKAN's built-in list.</summary>
public sealed record License(
    string Id, string Title, string Url, string OdConformance, string OsdConformance,
    string DomainContent, string DomainData, string DomainSoftware, string IsGeneric)
{
    /// <summary>CKAN: a licence is open when its Open Definition conformance is approved.</summary>
    public bool IsOpen => OdConformance == "approved";
}
