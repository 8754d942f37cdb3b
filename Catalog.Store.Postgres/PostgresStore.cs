using Catalog.Core;
using Catalog.Core.DataStore;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catalog.Store.Postgres;

public static class PostgresStore
{
    /// <summary>The store in the PostgreSQL database <c>Catalog:Database:ConnectionString</c> names.</summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services)
    {
        services.AddSingleton<FeedOrderInterceptor>();
        services.AddSingleton<IChangeNotifications, PostgresChangeNotifications>();
        // Rows in the same database, so every node reads the same rows (the DataStore registers SQLite otherwise).
        services.AddSingleton<IRowStore>(sp => new PostgresRowStore(sp.GetRequiredService<IOptions<CatalogOptions>>().Value.Database.ConnectionString!));
        return services.AddCatalogStore<PostgresCatalogDbContext>((options, o, sp) => options
            .UseNpgsql(o.Database.ConnectionString)
            .AddInterceptors(sp.GetRequiredService<FeedOrderInterceptor>()));
    }
}

/// <summary>Lets <c>dotnet ef migrations add X --project Catalog.Store.Postgres</c> build the context without the host.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCatalogDbContext>
{
    public PostgresCatalogDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCatalogDbContext>().UseNpgsql("Host=localhost;Database=catalog_design").Options);
}
