using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Files;
using Catalog.Core.Licenses;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catalog.Core;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>The store, the actions and what they need. Options are validated when the host starts.</summary>
    /// <param name="extendActions">Adds the action families of other parts (search) to the registry.</param>
    public static IServiceCollection AddCatalogCore(this IServiceCollection services, IConfiguration configuration,
        Action<ActionRegistry>? extendActions = null)
    {
        services.AddOptions<CatalogOptions>()
            .Bind(configuration.GetSection(CatalogOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Database.Provider is "Sqlite", "Catalog:Database:Provider must be Sqlite (Postgres is not available yet)")
            .Validate(o => o.SiteUrl is null or "" || Uri.TryCreate(o.SiteUrl, UriKind.Absolute, out _), "Catalog:SiteUrl must be an absolute URL")
            .Validate(o => Seeding.SysadminBootstrap.IsAcceptable(o.SysadminToken), Seeding.SysadminBootstrap.TooShortMessage)
            .ValidateOnStart();

        // The options are made once: built for every context, they were a tenth of the CPU of a search over HTTP.
        services.AddDbContext<CatalogDbContext>((sp, options) =>
        {
            var o = sp.GetRequiredService<IOptions<CatalogOptions>>().Value;
            options.UseSqlite(StoreConnection.SqliteConnectionString(o));
            // Tests add interceptors (failure injection) through DI, as singletons.
            options.AddInterceptors(sp.GetServices<IInterceptor>());
        }, contextLifetime: ServiceLifetime.Scoped, optionsLifetime: ServiceLifetime.Singleton);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(LicenseRegistry.LoadEmbedded());
        services.AddSingleton<SiteUrls>();
        services.AddSingleton<PackageDictizer>();
        services.AddSingleton<IPackageCounter, StorePackageCounter>();
        services.AddSingleton<ITagNames, StoreTagNames>();
        services.AddSingleton<BlobStore>();
        services.AddScoped<TokenAuthenticator>();
        services.AddSingleton<PasswordAttempts>();
        services.AddSingleton(_ =>
        {
            var registry = CatalogActions.CreateRegistry();
            extendActions?.Invoke(registry);
            return registry;
        });
        services.AddSingleton<ActionDispatcher>();
        services.AddSingleton<Seeding.SeedLoader>();
        return services;
    }

    private static void TryAddSingleton<T>(this IServiceCollection services, T instance) where T : class
    {
        if (!services.Any(d => d.ServiceType == typeof(T))) services.AddSingleton(instance);
    }
}
