using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;

namespace Catalog.Indexer;

/// <summary>
/// status_show's <c>search_index</c>: the last change the index has applied, the last one in the store, how many it is
/// behind, and why its last catch-up failed (null when it succeeded). The failure's text may name internals, so
/// only sysadmins read it; others learn that there is one.
/// </summary>
public sealed class SearchIndexStatus(IndexFollower follower) : IStatusSection
{
    public string Key => "search_index";

    public JsonNode? Report(ActionContext ctx)
    {
        var status = follower.Status;
        return new JsonObject
        {
            ["applied_seq"] = status.AppliedSeq,
            ["store_seq"] = status.StoreSeq,
            ["lag"] = status.Lag,
            ["last_error"] = status.LastError is null ? null : ctx.Caller.IsSysadmin ? status.LastError : "Indexing failed; it is being retried",
        };
    }
}
