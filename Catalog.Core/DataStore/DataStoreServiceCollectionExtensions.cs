using Catalog.Core.Domain;
using Catalog.Core.Files;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Catalog.Core.DataStore;

/// <summary>Configuration section <c>Catalog:DataStore</c>.</summary>
public sealed class DataStoreOptions
{
    public const string Section = "Catalog:DataStore";

    /// <summary>CKAN's ckan.datastore.search.rows_default.</summary>
    public int RowsDefault { get; set; } = 100;

    /// <summary>CKAN's ckan.datastore.search.rows_max: larger limits are cut to it silently.</summary>
    public int RowsMax { get; set; } = 32000;

    /// <summary>CKAN's ckan.datastore.sqlsearch.enabled: datastore_search_sql answers only when on.</summary>
    public bool SqlSearch { get; set; }

    /// <summary>How long one search over rows may run before it is refused with a Search Error.</summary>
    public TimeSpan QueryTimeLimit { get; set; } = TimeSpan.FromSeconds(5);
}

public static class DataStoreServiceCollectionExtensions
{
    /// <summary>The row store (SQLite, <c>datastore.db</c> in the data folder) and the background loading of uploads.</summary>
    public static IServiceCollection AddCatalogDataStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataStoreOptions>().Bind(configuration.GetSection(DataStoreOptions.Section));
        services.AddSingleton<IRowStore>(sp =>
            new SqliteRowStore(SqliteRowStore.ConnectionStringFor(sp.GetRequiredService<IOptions<CatalogOptions>>().Value.DataDir)));
        services.AddSingleton<IngestionQueue>();
        services.AddSingleton<IUploadListener>(sp => sp.GetRequiredService<IngestionQueue>());
        services.AddSingleton<IResourceRemovedListener>(sp => sp.GetRequiredService<IngestionQueue>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IngestionQueue>());
        return services;
    }
}
