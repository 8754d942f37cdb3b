using Catalog.Core.Actions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Indexer;

public static class SearchServiceCollectionExtensions
{
    /// <summary>The search index and what follows the change feed into it.</summary>
    public static IServiceCollection AddCatalogSearch(this IServiceCollection services, IConfiguration configuration) => services;

    /// <summary>Actions served from the index (package_search …).</summary>
    public static ActionRegistry AddSearchActions(this ActionRegistry registry) => registry;
}
