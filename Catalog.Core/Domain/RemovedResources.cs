using Catalog.Core.Dispatch;

namespace Catalog.Core.Domain;

/// <summary>Tells the <see cref="IResourceRemovedListener"/>s, once the write commits, which resources it removed.</summary>
internal static class RemovedResources
{
    public static void AfterCommit(ActionContext ctx, IReadOnlyList<string> resourceIds)
    {
        if (resourceIds.Count == 0) return;
        foreach (var listener in ctx.Get<IEnumerable<IResourceRemovedListener>>())
            ctx.AfterCommit(() => listener.RemovedAsync(resourceIds, CancellationToken.None));
    }
}
