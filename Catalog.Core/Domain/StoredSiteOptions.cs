using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>
/// The site options config_option_update keeps in the store, held in memory for a short while: status_show is the
/// cheapest call of the API (load balancers and benchmarks poll it) and must not open a store context each time.
/// A change made on this node shows at once; one made on another node within <see cref="Lifetime"/>.
/// </summary>
public sealed class StoredSiteOptions(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private sealed record Snapshot(IReadOnlyDictionary<string, string> Values, DateTimeOffset Loaded);

    private volatile Snapshot? _current;

    /// <summary>The stored values by key; the store is read (through <paramref name="db"/>) only when the copy is stale.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ValuesAsync(Func<CatalogDbContext> db, CancellationToken ct)
    {
        var current = _current;
        if (current is not null && clock.GetUtcNow() - current.Loaded < Lifetime) return current.Values;
        var values = await db().SystemInfo.AsNoTracking().ToDictionaryAsync(x => x.Key, x => x.Value, ct);
        _current = new Snapshot(values, clock.GetUtcNow());
        return values;
    }

    /// <summary>Called after a write of the options commits on this node.</summary>
    public void Forget() => _current = null;
}
