using Catalog.Core;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Hosting;

/// <summary>What must be true before the first request: schema migrated, bootstrap sysadmin present, seed loaded.</summary>
public static class CatalogStartup
{
    public static async Task InitializeCatalogAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<CatalogOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Catalog.Startup");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await db.PrepareAsync();
            await SysadminBootstrap.EnsureAsync(db, options.SysadminToken, app.Services.GetRequiredService<TimeProvider>());
        }
        if (options.Seed)
            await app.Services.GetRequiredService<SeedLoader>().LoadIfEmptyAsync(
                options.SeedDir ?? SeedLoader.FindDefaultSeedDir(app.Environment.ContentRootPath), logger);
    }
}
