using Catalog.Core;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
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
    /// <summary>Configuration key of a folder whose synonyms-ja.txt / stopwords-ja.txt replace the built-in ones.</summary>
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

    /// <summary>The search index and what follows the change feed into it.</summary>
    public static IServiceCollection AddCatalogSearch(this IServiceCollection services, IConfiguration configuration)
    {
        var vocabularyDir = configuration[VocabularyKey];
        services.AddSingleton(_ => vocabularyDir is { Length: > 0 } dir ? SearchVocabulary.Load(dir) : SearchVocabulary.LoadEmbedded());
        var indexDir = configuration[IndexDirKey];
        services.AddSingleton(sp => new SearchIndex(
            Path.GetFullPath(indexDir is { Length: > 0 } ? indexDir : Path.Combine(sp.GetRequiredService<IOptions<CatalogOptions>>().Value.DataDir, "index")),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<SearchIndex>()));
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
        services.AddSingleton(new IndexFollowerOptions());
        services.AddSingleton<IndexFollower>();
        services.AddSingleton<ICommitListener>(sp => sp.GetRequiredService<IndexFollower>());
        services.AddSingleton<IStatusSection, SearchIndexStatus>();
        services.AddHostedService<SearchIndexStartup>();
        var pollInterval = configuration.GetValue(PollIntervalKey, TimeSpan.FromSeconds(1));
        if (pollInterval <= TimeSpan.Zero) throw new InvalidOperationException($"{PollIntervalKey} must be a positive time span, not {pollInterval}");
        services.AddSingleton(new FeedWatcherOptions(pollInterval));
        services.AddHostedService<FeedWatcher>();
        services.AddMetrics();
        services.AddSingleton<SearchMetrics>();
        return services;
    }

    /// <summary>Actions served from the index (package_search, autocompletion …).</summary>
    public static ActionRegistry AddSearchActions(this ActionRegistry registry) => registry
        .Read("package_search", AuthRules.Anyone, SearchActions.PackageSearch,
            "Search datasets (CKAN/Solr semantics, Japanese-aware matching).\n\n" +
            ":param q: free text (dismax over name^4 title^4 tags^2 groups^2 text); with a ':' Lucene syntax, AND by default\n" +
            ":param fq: a filter in Lucene syntax (organization:x, tags:\"air quality\", metadata_modified:[NOW-7DAYS TO *] …)\n" +
            ":param fq_list: a list of filters, all applied\n" +
            ":param sort: comma-separated 'field asc|desc' over score, metadata_modified, metadata_created, name, title_string, id\n" +
            "    (default 'score desc, metadata_modified desc')\n" +
            ":param rows: results per page (default 10, at most 1000)\n:param start: offset of the first result (at most 100000)\n" +
            ":param facet: whether to count facets (default true)\n:param facet.field: JSON list of fields to count (at most 20)\n" +
            ":param facet.limit: values per field (default 50, -1 for all; at most 1000)\n:param facet.mincount: smallest count shown (default 1)\n" +
            ":param include_private: also the private datasets the caller may read\n" +
            ":param include_drafts: also the caller's own drafts (all drafts for sysadmins)\n" +
            ":param fl: return only these fields instead of whole dicts\n\n" +
            "Returns count, sort, results (dataset dicts), facets and search_facets.\n\n" +
            "A search must be answered within a second: q is at most 1000 characters, each filter 2000; regular\n" +
            "expressions are not supported, patterns take at most 4 wildcards and parentheses nest at most 10 deep.\n" +
            "Beyond a limit the answer is a Search Error (409).")
        .Read("package_autocomplete", AuthRules.Anyone, SearchActions.PackageAutocomplete,
            "Return public datasets whose name or title contains the string q (Japanese words inside titles too).\n\n" +
            ":param q: the string to look for\n:param limit: (optional, default 10)\n\n" +
            "Returns a list of {name, title, match_field, match_displayed}.")
        .Read("format_autocomplete", AuthRules.Anyone, SearchActions.FormatAutocomplete,
            "Return the resource formats of public datasets that contain the string q, the most used first.\n\n" +
            ":param q: the string to look for\n:param limit: (optional, default 5)")
        .Write("search_index_rebuild", AuthRules.Sysadmin, SearchActions.Rebuild,
            "Rebuild the search index from the store. Sysadmins only.\n\nReturns the number of datasets indexed.");
}
