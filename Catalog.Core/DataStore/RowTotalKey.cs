using System.Collections.Concurrent;

namespace Catalog.Core.DataStore;

/// <summary>
/// The key of a cached count: the row table, its version, the exact statement and its parameter values, compared
/// value by value (type and value), never joined into one string, where a client's value containing the separator
/// could make two different searches share one key.
/// </summary>
public sealed record RowTotalKey(string Table, long Version, string Sql, IReadOnlyList<object?> Values)
{
    public bool Equals(RowTotalKey? other) =>
        other is not null && Table == other.Table && Version == other.Version && Sql == other.Sql
        && Values.Count == other.Values.Count
        && Values.Zip(other.Values).All(p => p.First?.GetType() == p.Second?.GetType() && Equals(p.First, p.Second));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Table, StringComparer.Ordinal);
        hash.Add(Version);
        hash.Add(Sql, StringComparer.Ordinal);
        foreach (var value in Values) hash.Add(value);
        return hash.ToHashCode();
    }
}

/// <summary>Counts of filtered searches, by <see cref="RowTotalKey"/>; bounded (cleared when full).</summary>
public sealed class RowTotals
{
    private const int MaxCached = 4096;
    private readonly ConcurrentDictionary<RowTotalKey, long> _totals = new();

    public async Task<long> GetOrCountAsync(RowTotalKey key, Func<Task<long>> count)
    {
        if (_totals.TryGetValue(key, out var cached)) return cached;
        var total = await count();
        if (_totals.Count >= MaxCached) _totals.Clear();
        _totals[key] = total;
        return total;
    }

    public bool Contains(RowTotalKey key) => _totals.ContainsKey(key);
}
