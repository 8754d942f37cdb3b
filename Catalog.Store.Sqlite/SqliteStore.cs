using Catalog.Core;
using Catalog.Core.Store;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Store.Sqlite;

public static class SqliteStore
{
    /// <summary>The store in <c>{DataDir}/catalog.db</c>, or where <c>Catalog:Database:ConnectionString</c> says.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services)
    {
        // SQLite has one write lock for the whole file: the actions' writes queue for it in the process.
        services.AddSingleton<SingleWriter>();
        return services.AddCatalogStore<SqliteCatalogDbContext>((options, o, _) => options.UseSqlite(ConnectionString(o)));
    }

    public static string ConnectionString(CatalogOptions o)
    {
        if (o.Database.ConnectionString is { Length: > 0 } given) return given;
        var dataDir = Path.GetFullPath(o.DataDir);
        Directory.CreateDirectory(dataDir);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "catalog.db"),
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }
}

/// <summary>Lets <c>dotnet ef migrations add X --project Catalog.Store.Sqlite</c> build the context without the host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCatalogDbContext>
{
    public SqliteCatalogDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCatalogDbContext>().UseSqlite("Data Source=design.db").Options);
}
