using System.Diagnostics;
using Catalog.Core;
using Catalog.Core.Store;
using Catalog.Indexer;
using Catalog.Store.Postgres;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Hosting;

/// <summary>
/// Maintenance verbs run instead of the server: <c>dotnet run --project Catalog.Api -- search-index rebuild</c>,
/// <c>… -- harvest sources</c>, <c>… -- harvest run {source}</c>, <c>… -- sync run {target} [--dry-run]</c>, and <c>… -- store copy --to-postgres "Host=…"</c>
/// (the configured store, SQLite by default, copied into an empty PostgreSQL database, then the index rebuilt).
/// They use the same configuration (data folder) as the server, and must run while it is stopped.
/// </summary>
public static class CommandLineVerbs
{
    private const string Usage = "Known: search-index rebuild | harvest sources | harvest run <source> | sync run <target> [--dry-run] | export run | store copy --to-postgres \"<connection string>\"";

    public static bool IsVerb(string[] args) => args.Length >= 2 && args[0] is "search-index" or "store" or "harvest" or "sync" or "export";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args[0] == "harvest") return await HarvestVerbs.RunAsync(app, args);
        if (args[0] == "sync") return await SyncVerbs.RunAsync(app, args);
        if (args[0] == "export") return await Exports.ExportVerbs.RunAsync(app, args);
        if (args is ["store", "copy", "--to-postgres", var connection])
        {
            var copied = await CopyToPostgresAsync(app, connection);
            if (copied != 0) return copied;
        }
        else if (args is not ["search-index", "rebuild"])
        {
            await Console.Error.WriteLineAsync($"Unknown command: {string.Join(' ', args)}. {Usage}");
            return 2;
        }
        return await RebuildIndexAsync(app);
    }

    private static async Task<int> CopyToPostgresAsync(WebApplication app, string connection)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var source = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await source.PrepareAsync();
        await using var target = PostgresImport.Open(connection);
        try
        {
            foreach (var (table, rows) in await PostgresImport.CopyAsync(source, target))
                Console.WriteLine($"{table}: {rows}");
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        Console.WriteLine("Copied. Start the catalog with Catalog:Database:Provider=Postgres and this connection string.");
        return 0;
    }

    private static async Task<int> RebuildIndexAsync(WebApplication app)
    {
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().PrepareAsync();

        IndexFollower follower;
        try
        {
            follower = app.Services.GetRequiredService<IndexFollower>();
        }
        catch (Lucene.Net.Store.LockObtainFailedException)
        {
            var dataDir = app.Services.GetRequiredService<IOptions<CatalogOptions>>().Value.DataDir;
            await Console.Error.WriteLineAsync($"The index in {dataDir} is in use: stop the catalog first, or call the search_index_rebuild action.");
            return 1;
        }

        var clock = Stopwatch.StartNew();
        var bar = new ProgressBar(Console.Error);
        var count = await follower.RebuildAsync(new Progress<(int Done, int Total)>(p => bar.Show(p.Done, p.Total)));
        bar.Finish();
        Console.WriteLine($"Indexed {count} datasets in {clock.Elapsed.TotalSeconds:F1} s; merging the index into one segment...");
        // A running catalog merges in the background; this process would abandon the merge by exiting, so it waits.
        await follower.MergedAsync();
        Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
        return 0;
    }
}
