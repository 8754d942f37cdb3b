using System.Collections.Concurrent;
using Lucene.Net.Index;

namespace Catalog.Indexer.Querying;

/// <summary>
/// The answers to recent searches, as Solr's query result cache keeps them for CKAN: the same few requests (the
/// front page, a category, a popular word, a crawler paging) arrive again and again between two writes. An answer is
/// kept for the index reader it was computed from and served only to a search on that same reader, so every commit
/// (a new reader) starts afresh and nothing stale is ever returned. Requests reading the clock (<c>NOW</c>) and deep
/// pages are not kept. Memory is bounded by entries and by dicts held (ten per entry on average, a few KiB each).
/// </summary>
public sealed class SearchResultCache(int capacity = 256, int maxRows = 50)
{
    private sealed class Generation(IndexReader reader)
    {
        public IndexReader Reader { get; } = reader;
        public ConcurrentDictionary<SearchCacheKey, SearchResult> Results { get; } = new();
        public int Dicts;
    }

    private volatile Generation? _current;

    /// <summary>The cache key of a request, or null when its answer must not be kept.</summary>
    public SearchCacheKey? KeyFor(SearchRequest request)
    {
        if (capacity <= 0 || request.Rows > maxRows || request.Start > maxRows) return null;
        if (ReadsClock(request.Q) || request.Filters.Any(ReadsClock)) return null;
        return new SearchCacheKey(
            request.Q, request.Qf, request.Mm, request.Tie, request.DefType, request.Sort, request.Rows, request.Start,
            request.FacetLimit, request.FacetMinCount, new ValueList<string>(request.Filters),
            new ValueList<string>(request.FacetFields), request.Visibility.Key);
    }

    public bool TryGet(IndexReader reader, SearchCacheKey key, out SearchResult result)
    {
        var current = _current;
        if (current is not null && ReferenceEquals(current.Reader, reader) && current.Results.TryGetValue(key, out var found))
        {
            result = found;
            return true;
        }
        result = null!;
        return false;
    }

    public void Add(IndexReader reader, SearchCacheKey key, SearchResult result)
    {
        var current = _current;
        if (current is null || !ReferenceEquals(current.Reader, reader) || current.Results.Count >= capacity
            || current.Dicts + result.Results.Count > capacity * 10)
            _current = current = new Generation(reader);
        if (current.Results.TryAdd(key, result)) Interlocked.Add(ref current.Dicts, result.Results.Count);
    }

    private static bool ReadsClock(string? text) => text is not null && text.Contains("NOW", StringComparison.Ordinal);
}

/// <summary>
/// Everything a search's answer depends on, as values: lists (filters, facet fields, labels) are compared item by
/// item, so whatever characters a client puts in a parameter, two requests share a key only when they ask the same.
/// </summary>
public sealed record SearchCacheKey(
    string? Q, string? Qf, string? Mm, float? Tie, string? DefType, string? Sort, int Rows, int Start,
    int FacetLimit, int FacetMinCount, ValueList<string> Filters, ValueList<string> FacetFields, VisibilityKey Visibility);
