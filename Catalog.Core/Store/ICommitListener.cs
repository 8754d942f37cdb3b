namespace Catalog.Core.Store;

/// <summary>
/// Told after every committed write action, before the action returns, so derived stores (the search index)
/// can catch up with the change feed: a write is visible everywhere when its call returns.
/// </summary>
public interface ICommitListener
{
    Task CommittedAsync(CancellationToken ct);
}
