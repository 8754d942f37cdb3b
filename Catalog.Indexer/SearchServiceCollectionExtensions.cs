using Catalog.Core;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catalog.Indexer;

public static class SearchServiceCollectionExtensions
{
    /// <summary>Configuration key of a folder whose files (<see cref="SearchVocabulary.Files"/>) replace the built-in ones.</summary>
    public const string VocabularyKey = "Catalog:Search:VocabularyDir";

    /// <summary>Configuration key of how many recent search answers are kept per index state (0: none; default 256).</summary>
    public const string ResultCacheKey = "Catalog:Search:ResultCacheSize";

    /// <summary>Configuration key of how long one package_search may run (a TimeSpan, default one second).</summary>
    public const string TimeLimitKey = "Catalog:Search:TimeLimit";

    /// <summary>Configuration key of the index's folder (default <c>{DataDir}/index</c>); each node has its own.</summary>
    public const string IndexDirKey = "Catalog:Search:IndexDir";

    /// <summary>
    /// Configuration key of how often the index looks for changes other processes committed (a TimeSpan, default one
    /// second), on a store that other processes write to; notifications wake it sooner.
    /// </summary>
    public const string PollIntervalKey = "Catalog:Search:PollInterval";

    /// <summary>
    /// Configuration key of how long index changes may be searchable before they are committed to disk (a TimeSpan,
    /// default one second; 0 commits after every catch-up). A crash loses only index work within it, applied again from
    /// the change feed at the next start.
    /// </summary>
    public const string CommitIntervalKey = "Catalog:Search:CommitInterval";

    /// <summary>
    /// Configuration key of the least time between two catch-ups while searches keep the machine busy (a TimeSpan,
    /// default 500 ms; 0 applies every write at once): writes arriving sooner wait for the next one and share it.
    /// </summary>
    public const string PublishIntervalKey = "Catalog:Search:PublishInterval";

    /// <summary>The search index and what follows the change feed into it.</summary>
    public static IServiceCollection AddCatalogSearch(this IServiceCollection services, IConfiguration configuration)
    {
        var vocabularyDir = configuration[VocabularyKey];
        if (vocabularyDir is { Length: > 0 } && !Directory.Exists(vocabularyDir))
            throw new InvalidOperationException($"{VocabularyKey} names a folder that does not exist: {vocabularyDir}");
        // Loaded now, so that a folder with unreadable files stops the start rather than the first search.
        services.AddSingleton(vocabularyDir is { Length: > 0 } dir ? SearchVocabulary.Load(dir) : SearchVocabulary.LoadEmbedded());
        var indexDir = configuration[IndexDirKey];
        services.AddSingleton(sp =>
        {
            var readings = Readings.Open(out var unavailable, sp.GetRequiredService<SearchVocabulary>().ReadingOverrides);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<Readings>();
            if (readings.Available) logger.LogInformation("Search readings are on: MeCab gives the readings of titles and tags");
            else logger.LogWarning("Search readings are off (install libmecab2 and mecab-ipadic-utf8 to find 図書館 by としょかん): {Reason}", unavailable);
            return readings;
        });
        services.AddSingleton(sp => new SearchIndex(
            Path.GetFullPath(indexDir is { Length: > 0 } ? indexDir : Path.Combine(sp.GetRequiredService<IOptions<CatalogOptions>>().Value.DataDir, "index")),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<SearchIndex>(), sp.GetRequiredService<Readings>()));
        var cacheSize = configuration.GetValue(ResultCacheKey, 256);
        if (cacheSize < 0) throw new InvalidOperationException($"{ResultCacheKey} must be 0 (no cache) or more, not {cacheSize}");
        services.AddSingleton(new SearchResultCache(cacheSize));
        var timeLimit = configuration.GetValue(TimeLimitKey, QueryLimits.DefaultTimeAllowed);
        if (timeLimit <= TimeSpan.Zero) throw new InvalidOperationException($"{TimeLimitKey} must be a positive time span, not {timeLimit}");
        services.AddSingleton(new SearchTimeLimit(timeLimit));
        services.AddSingleton<Searcher>();
        services.AddSingleton<Autocompleter>();
        // Replaces the store's counting registered by the core: the last registration is the one resolved.
        services.AddSingleton<IPackageCounter, IndexPackageCounter>();
        services.AddSingleton<ITagNames, IndexTagNames>();
        services.AddSingleton<Highlighting.SearchHighlighter>();
        services.AddSingleton<GroupTitles>();
        var commitInterval = configuration.GetValue(CommitIntervalKey, TimeSpan.FromSeconds(1));
        if (commitInterval < TimeSpan.Zero) throw new InvalidOperationException($"{CommitIntervalKey} must be 0 or a positive time span, not {commitInterval}");
        var publishInterval = configuration.GetValue(PublishIntervalKey, IndexFollowerOptions.DefaultPublishInterval);
        if (publishInterval < TimeSpan.Zero) throw new InvalidOperationException($"{PublishIntervalKey} must be 0 or a positive time span, not {publishInterval}");
        services.AddSingleton(new IndexFollowerOptions { CommitInterval = commitInterval, PublishInterval = publishInterval });
        services.AddSingleton<IndexFollower>();
        services.AddSingleton<ICommitListener>(sp => sp.GetRequiredService<IndexFollower>());
        services.AddSingleton<IStatusSection, SearchIndexStatus>();
        services.AddSingleton<IStatusSection, SearchFeaturesStatus>();
        services.AddHostedService<SearchIndexStartup>();
        var pollInterval = configuration.GetValue(PollIntervalKey, TimeSpan.FromSeconds(1));
        if (pollInterval <= TimeSpan.Zero) throw new InvalidOperationException($"{PollIntervalKey} must be a positive time span, not {pollInterval}");
        services.AddSingleton(new FeedWatcherOptions(pollInterval));
        services.AddHostedService<FeedWatcher>();
        services.AddMetrics();
        services.AddSingleton<SearchMetrics>();
        return services;
    }
}
