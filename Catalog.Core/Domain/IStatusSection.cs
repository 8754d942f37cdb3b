using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;

namespace Catalog.Core.Domain;

/// <summary>
/// A part of status_show reported by another part of the catalog (the search index: how far it is behind the
/// store). Read from memory: status_show makes no store context. CKAN's own keys cannot be replaced.
/// </summary>
public interface IStatusSection
{
    string Key { get; }

    JsonNode? Report(ActionContext ctx);
}
