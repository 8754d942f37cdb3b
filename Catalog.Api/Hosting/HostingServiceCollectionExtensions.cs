using Catalog.Core;
using Microsoft.AspNetCore.Http.Features;

namespace Catalog.Api.Hosting;

public static class HostingServiceCollectionExtensions
{
    /// <summary>Web-host settings: default address, request size limits matched to the upload limit.</summary>
    public static IServiceCollection AddCatalogHosting(this IServiceCollection services, IConfiguration configuration)
    {
        var maxUpload = configuration.GetSection(CatalogOptions.Section).GetValue<long?>(nameof(CatalogOptions.MaxUploadBytes))
            ?? new CatalogOptions().MaxUploadBytes;
        // Multipart framing needs a little room above the file itself.
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = maxUpload + 1024 * 1024);
        return services;
    }
}
