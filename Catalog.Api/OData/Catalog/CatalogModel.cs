using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;

namespace Catalog.Api.OData.Catalog;

/// <summary>The EDM model of the catalog feed at <c>/odata/</c>, built once from the wire classes.</summary>
public static class CatalogModel
{
    public const string Namespace = "Catalog";

    public static IEdmModel Build()
    {
        var builder = new ODataConventionModelBuilder { Namespace = Namespace, ContainerName = "Container" };
        builder.EntitySet<DatasetWire>("Datasets").EntityType.Name = "Dataset";
        builder.EntitySet<ResourceWire>("Resources").EntityType.Name = "Resource";
        builder.EntitySet<OrganizationWire>("Organizations").EntityType.Name = "Organization";
        builder.EntitySet<GroupWire>("Groups").EntityType.Name = "Group";
        builder.EntitySet<TagWire>("Tags").EntityType.Name = "Tag";
        foreach (var type in builder.StructuralTypes) type.Namespace = Namespace;
        return builder.GetEdmModel();
    }
}
