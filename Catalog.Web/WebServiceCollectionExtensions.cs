using Catalog.Web.Feeds;
using Catalog.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Catalog.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>The citizen pages: Razor Pages over the catalog's actions, their settings (Catalog:Ui) checked at start.</summary>
    public static IServiceCollection AddCatalogWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UiOptions>().Bind(configuration.GetSection(UiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UiOptions>, UiOptionsValidator>();
        services.AddHttpContextAccessor();
        services.AddScoped<PageActions>();
        services.Configure<RouteOptions>(o => o.ConstraintMap[CkanNameConstraint.Name] = typeof(CkanNameConstraint));
        services.AddRazorPages();
        // Japanese text written as itself, not as numeric character references: pages a third the size, readable source.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return services;
    }

    /// <summary>The pages, their feeds and assets; any other unknown GET outside the API gets the friendly 404 page.</summary>
    public static IEndpointRouteBuilder MapCatalogWeb(this IEndpointRouteBuilder app)
    {
        app.MapCatalogAssets();
        app.MapAtomFeeds();
        app.MapRazorPages();
        app.MapFallbackToPage("{*path:regex(^(?!api/).*$)}", "/NotFound");
        return app;
    }
}
