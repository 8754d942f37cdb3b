using System.Text.Json;
using Catalog.Core.Auth;

namespace Catalog.Indexer.Querying;

/// <summary>A package_search request, parameters already read and checked.</summary>
public sealed record SearchRequest
{
    public string? Q { get; init; }
    /// <summary><c>fq</c> and each of <c>fq_list</c>: every one must match.</summary>
    public IReadOnlyList<string> Filters { get; init; } = [];
    public string? Sort { get; init; }
    public int Rows { get; init; } = 10;
    public int Start { get; init; }
    public IReadOnlyList<string> FacetFields { get; init; } = [];
    public int FacetLimit { get; init; } = 50;
    public int FacetMinCount { get; init; } = 1;
    public SearchVisibility Visibility { get; init; } = SearchVisibility.Anonymous;
    /// <summary>Solr's dismax settings (<c>qf</c>, <c>mm</c>, <c>tie</c>, <c>defType</c>) when the caller overrides them.</summary>
    public string? Qf { get; init; }
    public string? Mm { get; init; }
    public float? Tie { get; init; }
    public string? DefType { get; init; }

    /// <summary>
    /// How long the search may run before it is stopped with a search error; null for no limit (the index's own
    /// counts, which read no query text). It does not change the answer, so it is not part of the cache key.
    /// </summary>
    public TimeSpan? TimeAllowed { get; init; }
}

/// <summary>
/// Which datasets the caller may find: active ones carrying one of <see cref="Labels"/> (all active ones when
/// <see cref="All"/>), private ones only when asked, drafts only when asked and only their own (any, for <see cref="All"/>).
/// Deleted datasets are never in the index.
/// </summary>
public sealed record SearchVisibility(bool All, IReadOnlyList<string> Labels, string? UserId, bool IncludePrivate, bool IncludeDrafts)
{
    public static readonly SearchVisibility Anonymous = For(Visibility.Reader.Anonymous, includePrivate: false, includeDrafts: false);

    /// <summary>Everything active, public and private (sysadmins, internal use).</summary>
    public static readonly SearchVisibility Everything = new(true, [], null, true, false);

    /// <summary>Core's reader (<see cref="Visibility.Reader"/>) with package_search's include_private / include_drafts.</summary>
    public static SearchVisibility For(Visibility.Reader reader, bool includePrivate, bool includeDrafts) =>
        new(reader.All, reader.All ? [] : reader.Labels, reader.UserId, includePrivate, includeDrafts);

    /// <summary>The visibility as a value: equal exactly when the same datasets are visible by the same rule.</summary>
    public VisibilityKey Key => new(All, IncludePrivate, IncludeDrafts, UserId, new ValueList<string>(Labels));
}

/// <summary>A <see cref="SearchVisibility"/> compared by value, labels item by item (for caches).</summary>
public readonly record struct VisibilityKey(bool All, bool IncludePrivate, bool IncludeDrafts, string? UserId, ValueList<string> Labels);

public sealed record FacetValue(string Name, int Count);

/// <param name="Results">The stored dicts, as parsed JSON: written out as they are, without building nodes.</param>
public sealed record SearchResult(int Count, IReadOnlyList<JsonElement> Results, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets)
{
    /// <summary>When nothing was found: queries that find datasets the caller may read ("did you mean"), best first.</summary>
    public IReadOnlyList<string> Suggestions { get; init; } = [];
}
