using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Files;
using Catalog.Core.Licenses;
using Catalog.Core.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catalog.Core;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>
    /// The actions and what they need. Options are validated when the host starts. The store itself comes from a
    /// provider project (<c>AddSqliteStore</c>, <c>AddPostgresStore</c>), chosen by the host.
    /// </summary>
    /// <param name="extendActions">Adds the action families of other parts (search) to the registry.</param>
    public static IServiceCollection AddCatalogCore(this IServiceCollection services, IConfiguration configuration,
        Action<ActionRegistry>? extendActions = null)
    {
        services.AddOptions<CatalogOptions>()
            .Bind(configuration.GetSection(CatalogOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Database.Provider is DatabaseOptions.Sqlite or DatabaseOptions.Postgres,
                "Catalog:Database:Provider must be Sqlite or Postgres")
            .Validate(o => o.Database.Provider is not DatabaseOptions.Postgres || o.Database.ConnectionString is { Length: > 0 },
                "Catalog:Database:ConnectionString is required with the Postgres provider")
            .Validate(o => o.SiteUrl is null or "" || Uri.TryCreate(o.SiteUrl, UriKind.Absolute, out _), "Catalog:SiteUrl must be an absolute URL")
            .Validate(o => Seeding.SysadminBootstrap.IsAcceptable(o.SysadminToken), Seeding.SysadminBootstrap.TooShortMessage)
            .ValidateOnStart();

        services.AddOptions<JobOptions>().Bind(configuration.GetSection(JobOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(LicenseRegistry.LoadEmbedded());
        services.AddSingleton<SiteUrls>();
        services.AddSingleton<StoredSiteOptions>();
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
