using Catalog.Core.Domain;
using Catalog.Core.Files;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    /// <summary>With rows shared by several nodes: how long a node's claim on a load lasts unless renewed (a dead
    /// node's load is taken over after it).</summary>
    public TimeSpan IngestionLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>With rows shared by several nodes: how often each node looks for loads left undone.</summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a running harvest job may hold back a queued load: loads wait for the job to end, but at most this long
    /// after they were queued, so a staff upload during a slow, polite harvest of hours is still loaded soon.
    /// </summary>
    public TimeSpan MaxLoadDeferral { get; set; } = TimeSpan.FromMinutes(2);
}

public static class DataStoreServiceCollectionExtensions
{
    /// <summary>
    /// The row store and the background loading of uploads. The row store is SQLite (<c>datastore.db</c> in the data
    /// folder) unless the store provider registered its own before (PostgreSQL does: rows shared by every node).
    /// </summary>
    public static IServiceCollection AddCatalogDataStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataStoreOptions>().Bind(configuration.GetSection(DataStoreOptions.Section))
            .Validate(o => o.IngestionLease >= TimeSpan.FromSeconds(1) && o.CatchUpInterval >= TimeSpan.FromMilliseconds(100),
                "Catalog:DataStore:IngestionLease must be 1 s or more and CatchUpInterval 100 ms or more")
            .ValidateOnStart();
        services.TryAddSingleton<IRowStore>(sp =>
            new SqliteRowStore(SqliteRowStore.ConnectionStringFor(sp.GetRequiredService<IOptions<CatalogOptions>>().Value.DataDir)));
        services.AddSingleton<IngestionQueue>();
        services.AddSingleton<IUploadListener>(sp => sp.GetRequiredService<IngestionQueue>());
        services.AddSingleton<IResourceRemovedListener>(sp => sp.GetRequiredService<IngestionQueue>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IngestionQueue>());
        return services;
    }
}
