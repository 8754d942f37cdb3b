using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
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
        public ConcurrentDictionary<string, SearchResult> Results { get; } = new(StringComparer.Ordinal);
        public int Dicts;
    }

    private volatile Generation? _current;

    /// <summary>The cache key of a request, or null when its answer must not be kept.</summary>
    public string? KeyFor(SearchRequest request)
    {
        if (capacity <= 0 || request.Rows > maxRows || request.Start > maxRows) return null;
        if (ReadsClock(request.Q) || request.Filters.Any(ReadsClock)) return null;
        var v = request.Visibility;
        var key = new StringBuilder();
        // Unit separators keep values apart: no parameter can spell another one's boundary.
        void Part(object? value) => key.Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\u001f');
        Part(request.Q); Part(request.Qf); Part(request.Mm); Part(request.Tie); Part(request.DefType);
        Part(request.Sort); Part(request.Rows); Part(request.Start);
        Part(request.FacetLimit); Part(request.FacetMinCount);
        Part(string.Join('\u001e', request.Filters));
        Part(string.Join('\u001e', request.FacetFields));
        Part(v.All); Part(v.IncludePrivate); Part(v.IncludeDrafts); Part(v.UserId);
        Part(string.Join('\u001e', v.Labels));
        return key.ToString();
    }

    public bool TryGet(IndexReader reader, string key, out SearchResult result)
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

    public void Add(IndexReader reader, string key, SearchResult result)
    {
        var current = _current;
        if (current is null || !ReferenceEquals(current.Reader, reader) || current.Results.Count >= capacity
            || current.Dicts + result.Results.Count > capacity * 10)
            _current = current = new Generation(reader);
        if (current.Results.TryAdd(key, result)) Interlocked.Add(ref current.Dicts, result.Results.Count);
    }

    private static bool ReadsClock(string? text) => text is not null && text.Contains("NOW", StringComparison.Ordinal);
}
