using Catalog.Harvester.Fetching;
using Catalog.Harvester.Import;
using Catalog.Harvester.Jobs;
using Catalog.Harvester.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Harvester;

public static class HarvestServiceCollectionExtensions
{
    /// <summary>Configuration key: false keeps the job service from running jobs (maintenance verbs run them in-process).</summary>
    public const string RunJobsKey = "Catalog:Harvest:RunJobs";

    /// <summary>The fetcher, crawler, importer and the hosted job service. The actions are added with <see cref="HarvestActions.AddHarvestActions"/>.</summary>
    public static IServiceCollection AddCatalogHarvester(this IServiceCollection services, IConfiguration configuration, bool runJobs = true)
    {
        var http = new HarvestHttpOptions();
        configuration.GetSection(HarvestHttpOptions.Section).Bind(http);
        services.AddSingleton(http);
        foreach (var (name, allowPrivate) in new[] { (HarvestFetcher.PublicClient, false), (HarvestFetcher.PrivateClient, true) })
        {
            services.AddHttpClient(name, c => c.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(() => HarvestFetcher.CreateHandler(allowPrivate))
                // A line per request would drown the job's own report.
                .RemoveAllLoggers();
        }
        services.AddSingleton<HarvestFetcher>();
        services.AddSingleton<PageRecords>();
        services.AddSingleton<WebCrawler>();
        services.AddSingleton<ImportTimings>();
        services.AddSingleton<FileRecords>();
        services.AddSingleton<CatalogImporter>();
        services.AddSingleton<CkanSource>();
        services.AddSingleton<RemoteDatasetImporter>();
        services.AddSingleton<HarvestRunner>();
        services.AddSingleton<HarvestQueue>();
        if (runJobs && configuration.GetValue(RunJobsKey, true)) services.AddHostedService<HarvestJobService>();
        return services;
    }
}
