using System.Diagnostics;
using Catalog.Core;
using Catalog.Core.Store;
using Catalog.Indexer;
using Catalog.Store.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Bench;

/// <summary>
/// The catalog's services in-process over a data folder (core with the search actions, SQLite store, search index), as
/// the search benchmarks set them up to write a generated catalog straight into the store and rebuild its index
/// before the host (<see cref="BenchHost"/>) serves it.
/// </summary>
public static class BenchServices
{
    public static ServiceProvider Create(string dataDir, IReadOnlyDictionary<string, string?>? settings = null,
        Action<ILoggingBuilder>? logging = null)
    {
        var values = new Dictionary<string, string?> { ["Catalog:DataDir"] = dataDir, ["Catalog:Seed"] = "false" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection()
            .AddLogging(b =>
            {
                b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
                logging?.Invoke(b);
            })
            .AddCatalogCore(configuration, actions => actions.AddSearchActions())
            .AddSqliteStore()
            .AddCatalogSearch(configuration)
            .BuildServiceProvider();
    }

    /// <summary>
    /// Prepares the store and, unless <paramref name="reuse"/> finds datasets there already, writes the catalog with
    /// <paramref name="write"/>. Returns the datasets found (0 when written) and the time writing took.
    /// </summary>
    public static async Task<(int Existing, TimeSpan Writing)> FillStoreAsync(ServiceProvider services, bool reuse,
        Func<CatalogDbContext, Task> write)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await db.PrepareAsync();
        var existing = reuse ? await db.Packages.CountAsync() : 0;
        if (existing > 0) return (existing, TimeSpan.Zero);
        var watch = Stopwatch.StartNew();
        await write(db);
        Console.Error.WriteLine();
        return (0, watch.Elapsed);
    }

    /// <summary>A full rebuild of the index with its progress on stderr: datasets, time until searchable, time until merged.</summary>
    public static async Task<(int Count, TimeSpan Searchable, TimeSpan Merged)> RebuildAsync(ServiceProvider services)
    {
        var follower = services.GetRequiredService<IndexFollower>();
        var watch = Stopwatch.StartNew();
        var count = await follower.RebuildAsync(new Progress<(int Done, int Total)>(p => Console.Error.Write($"\rindexing {p.Done:N0}/{p.Total:N0}")));
        var searchable = watch.Elapsed;
        await follower.MergedAsync();
        Console.Error.WriteLine();
        return (count, searchable, watch.Elapsed);
    }
}
