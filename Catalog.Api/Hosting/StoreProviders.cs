using Catalog.Core;
using Catalog.Store.Postgres;
using Catalog.Store.Sqlite;

namespace Catalog.Api.Hosting;

public static class StoreProviders
{
    /// <summary>The store <c>Catalog:Database:Provider</c> names; an unknown name is refused when options are validated.</summary>
    public static IServiceCollection AddCatalogStore(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration[$"{CatalogOptions.Section}:Database:Provider"] ?? DatabaseOptions.Sqlite;
        return provider == DatabaseOptions.Postgres ? services.AddPostgresStore() : services.AddSqliteStore();
    }
}
