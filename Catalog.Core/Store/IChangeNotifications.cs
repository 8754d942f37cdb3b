namespace Catalog.Core.Store;

/// <summary>
/// Offered by a store that several processes write to (PostgreSQL): wakes a follower when another process may have
/// appended to the change feed. A store only this process writes to offers none; its commit listeners suffice.
/// </summary>
public interface IChangeNotifications
{
    /// <summary>Returns when a change may have been committed elsewhere, or after <paramref name="timeout"/>.</summary>
    Task WaitAsync(TimeSpan timeout, CancellationToken ct);
}
