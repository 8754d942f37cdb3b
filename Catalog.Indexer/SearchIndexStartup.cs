using Microsoft.Extensions.Hosting;

namespace Catalog.Indexer;

/// <summary>
/// At start the index catches up with the change feed (or is rebuilt) before requests are served; when it cannot,
/// requests are served meanwhile and the follower keeps trying (<see cref="IndexFollower.StartAsync"/>).
/// </summary>
public sealed class SearchIndexStartup(IndexFollower follower, Searcher searcher) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await follower.StartAsync(cancellationToken);
        // The first Japanese query loads ICU's dictionaries (a few hundred ms): pay that now, not on a user's request.
        // Without a time limit: loading them is slow, and the warm-up must not fail the start.
        searcher.Search(new Querying.SearchRequest { Q = "三重県の避難所", Rows = 1 });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
