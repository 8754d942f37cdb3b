using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catalog.Core.Store;

/// <summary>What every store provider registers the same way; a provider project adds only its own options.</summary>
public static class StoreRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> as the catalog's <see cref="CatalogDbContext"/>, made per scope from
    /// options built once: built for every context, they were a tenth of the CPU of a search over HTTP.
    /// </summary>
    public static IServiceCollection AddCatalogStore<TContext>(this IServiceCollection services,
        Action<DbContextOptionsBuilder, CatalogOptions, IServiceProvider> configure) where TContext : CatalogDbContext
    {
        services.AddDbContext<TContext>((sp, options) =>
        {
            configure(options, sp.GetRequiredService<IOptions<CatalogOptions>>().Value, sp);
            // Tests add interceptors (failure injection) through DI, as singletons.
            options.AddInterceptors(sp.GetServices<IInterceptor>());
        }, contextLifetime: ServiceLifetime.Scoped, optionsLifetime: ServiceLifetime.Singleton);
        services.AddScoped<CatalogDbContext>(sp => sp.GetRequiredService<TContext>());
        return services;
    }
}
