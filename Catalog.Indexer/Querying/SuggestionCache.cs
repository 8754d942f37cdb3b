using System.Collections.Concurrent;
using Lucene.Net.Index;

namespace Catalog.Indexer.Querying;

/// <summary>
/// "Did you mean" answers per index reader: a query that finds nothing costs, besides its own search, a walk of the
/// term dictionary and up to seven counting searches for its candidates, and the same misspellings come back between
/// two writes (in the load mix a third of the requests find nothing). An answer depends only on the reader, the words,
/// the filters and the caller's visibility, all in the key, so it is kept for that reader alone and every commit (a new
/// reader) starts afresh: never stale, and a word only private datasets hold is never offered to another visibility.
/// Kept whatever the result cache's setting: it holds a few short strings per entry, at most <see cref="Capacity"/>.
/// </summary>
public sealed class SuggestionCache
{
    public const int Capacity = 1024;

    private sealed class Generation(IndexReader reader)
    {
        public IndexReader Reader { get; } = reader;
        public ConcurrentDictionary<SuggestionKey, IReadOnlyList<string>> Answers { get; } = new();
    }

    private volatile Generation? _current;

    /// <summary>The key of a request's suggestions, or null when they must be asked afresh (filters reading the clock).</summary>
    public static SuggestionKey? KeyFor(string q, SearchRequest request) =>
        request.Filters.Any(f => f.Contains("NOW", StringComparison.Ordinal))
            ? null
            : new SuggestionKey(q, request.Qf, new ValueList<string>(request.Filters), request.Visibility.Key);

    public bool TryGet(IndexReader reader, SuggestionKey key, out IReadOnlyList<string> suggestions)
    {
        var current = _current;
        if (current is not null && ReferenceEquals(current.Reader, reader) && current.Answers.TryGetValue(key, out var found))
        {
            suggestions = found;
            return true;
        }
        suggestions = [];
        return false;
    }

    public void Add(IndexReader reader, SuggestionKey key, IReadOnlyList<string> suggestions)
    {
        var current = _current;
        if (current is null || !ReferenceEquals(current.Reader, reader) || current.Answers.Count >= Capacity)
            _current = current = new Generation(reader);
        current.Answers.TryAdd(key, suggestions);
    }
}

/// <summary>What a query's suggestions depend on besides the reader, as values.</summary>
public readonly record struct SuggestionKey(string Q, string? Qf, ValueList<string> Filters, VisibilityKey Visibility);
