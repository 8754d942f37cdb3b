using System.Collections.Immutable;

namespace Catalog.Indexer.Querying;

/// <summary>
/// A list that equals another list with the same items in the same order, for cache keys made of what a client sent:
/// items are compared one by one, never joined into a string, so no character inside an item can make two different
/// lists look alike.
/// </summary>
public readonly struct ValueList<T> : IEquatable<ValueList<T>>
{
    private readonly ImmutableArray<T> _items;

    public ValueList(IEnumerable<T> items) => _items = [.. items];

    public int Count => _items.IsDefault ? 0 : _items.Length;

    public ReadOnlySpan<T> Items => _items.IsDefault ? [] : _items.AsSpan();

    public bool Equals(ValueList<T> other)
    {
        var mine = Items;
        var theirs = other.Items;
        if (mine.Length != theirs.Length) return false;
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < mine.Length; i++)
            if (!comparer.Equals(mine[i], theirs[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Count);
        foreach (var item in Items) hash.Add(item);
        return hash.ToHashCode();
    }

    public static bool operator ==(ValueList<T> left, ValueList<T> right) => left.Equals(right);

    public static bool operator !=(ValueList<T> left, ValueList<T> right) => !left.Equals(right);

    public override string ToString() => $"[{string.Join(", ", Items.ToArray())}]";
}
