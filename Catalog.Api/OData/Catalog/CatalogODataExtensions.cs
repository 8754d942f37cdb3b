using Microsoft.AspNetCore.OData;

namespace Catalog.Api.OData.Catalog;

/// <summary>The catalog-wide OData v4 service at <c>/odata/</c>: Datasets, Resources, Organizations, Groups, Tags.</summary>
public static class CatalogODataExtensions
{
    public const string Prefix = "odata";

    public static IServiceCollection AddCatalogOData(this IServiceCollection services)
    {
        services.AddControllers().AddOData(options =>
        {
            options.EnableQueryFeatures(CatalogQueryAttribute.MaxTopValue);
            // Dates are stored in UTC; without this they would be shown in the server's local zone.
            options.TimeZone = TimeZoneInfo.Utc;
            options.AddRouteComponents(Prefix, CatalogModel.Build());
        });
        return services;
    }

    public static IEndpointRouteBuilder MapCatalogOData(this IEndpointRouteBuilder app)
    {
        app.MapControllers();
        return app;
    }
}
