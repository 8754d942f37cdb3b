using Catalog.Core.Validation;
using Catalog.Sync.Jobs;
using Catalog.Sync.Mapping;
using Catalog.Sync.Remote;
using Catalog.Sync.Targets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>
    /// The targets (checked here, so a wrong one stops the start with a message naming its key), the remote clients,
    /// the runner and, unless a maintenance verb runs jobs itself, the hosted job service. The actions are added with
    /// <see cref="SyncActions.AddSyncActions"/>.
    /// </summary>
    public static IServiceCollection AddCatalogSync(this IServiceCollection services, IConfiguration configuration, bool runJobs = true)
    {
        services.AddSingleton(SyncTargetConfig.Read(configuration));
        foreach (var (name, allowPrivate) in new[] { (SyncRemotes.PublicClient, false), (SyncRemotes.PrivateClient, true) })
        {
            services.AddHttpClient(name, c => c.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(() => SyncRemotes.CreateHandler(allowPrivate))
                // A line per request would drown the job's own report.
                .RemoveAllLoggers();
        }
        services.AddSingleton<SyncPipelines>();
        services.AddSingleton<SyncRemotes>();
        services.AddSingleton(_ => new BodikMapper(MetadataSchema.Default));
        services.AddSingleton<SyncRunner>();
        services.AddSingleton<SyncQueue>();
        if (runJobs) services.AddHostedService<SyncJobService>();
        return services;
    }
}
