using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Indexer.Analysis;

namespace Catalog.Indexer;

/// <summary>
/// status_show's <c>search</c>: whether readings are on (MeCab installed), so that a client or an operator can tell why
/// としょかん does or does not find 図書館.
/// </summary>
public sealed class SearchFeaturesStatus(SearchIndex index) : IStatusSection
{
    public string Key => "search";

    public JsonNode? Report(ActionContext ctx) => new JsonObject { ["readings"] = index.Readings.Available };
}
