using Catalog.Harvester.Fetching;
using Catalog.Sync.Targets;

namespace Catalog.Sync.Remote;

/// <summary>The remote API of each target, over a client whose connections pass the harvester's address guard.</summary>
public sealed class SyncRemotes(IHttpClientFactory clients, SyncPipelines pipelines)
{
    /// <summary>Two clients so that a connection opened for a target allowed private addresses is never pooled for one that is not.</summary>
    public const string PublicClient = "sync";
    public const string PrivateClient = "sync-private";

    public RemoteCkan For(SyncTarget target) =>
        new(clients.CreateClient(target.AllowPrivateAddresses ? PrivateClient : PublicClient), target, pipelines.For(target));

    public static SocketsHttpHandler CreateHandler(bool allowPrivate) => HarvestFetcher.CreateHandler(allowPrivate);
}
