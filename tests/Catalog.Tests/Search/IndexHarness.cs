using System.Text.Json.Nodes;
using Catalog.Indexer;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;

namespace Catalog.Tests.Search;

/// <summary>An index in a temporary folder, filled with dataset dicts built by the test, and its searcher.</summary>
public sealed class IndexHarness : IDisposable
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public static readonly DateTime Now = new(2025, 6, 15, 12, 0, 0, DateTimeKind.Utc);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "catalog-tests", "index-" + Guid.NewGuid().ToString("N"));
    public SearchIndex Index { get; }
    public Searcher Searcher { get; }

    /// <param name="readings">Readings of titles and tags (none unless given).</param>
    public IndexHarness(IEnumerable<JsonObject>? datasets = null, Readings? readings = null)
    {
        Index = new SearchIndex(Folder, readings: readings);
        Searcher = new Searcher(Index, SearchVocabulary.LoadEmbedded(), new FixedClock(Now));
        if (datasets is null) return;
        foreach (var d in datasets) Index.Upsert(d);
        Index.Commit(1);
    }

    /// <summary>Indexes the datasets one commit each (sequences 1, 2, …), so that each is a segment of its own.</summary>
    public void CommitEachAsItsOwnSegment(params JsonObject[] datasets)
    {
        // Merges held back as during a rebuild: a merge of the small segments finishing before the last commit would
        // hand the test one segment (small segments are merged in memory, within milliseconds).
        var before = Index.SegmentCount;
        using (Index.Bulk())
        {
            for (var i = 0; i < datasets.Length; i++)
            {
                Index.Upsert(datasets[i]);
                Index.Commit(i + 1);
            }
        }
        Assert.That(Index.SegmentCount, Is.EqualTo(before + datasets.Length), "one segment per dataset");
    }

    /// <summary>Closes the index as a stopping process does and opens it again from its folder.</summary>
    public SearchIndex Reopen()
    {
        Index.Dispose();
        return new SearchIndex(Folder);
    }

    public SearchResult Search(SearchRequest request) => Searcher.Search(request);

    public List<string> Names(string? q = null, params string[] fq) =>
        Search(new SearchRequest { Q = q, Filters = fq, Rows = 1000, Visibility = SearchVisibility.Everything })
            .Results.Select(r => r.GetProperty("name").GetString()!).ToList();

    /// <summary>A package_show-shaped dict with the keys the index reads.</summary>
    public static JsonObject Dataset(string name, string title, string? notes = null, string[]? tags = null, string org = "pref-mie",
        string state = "active", bool isPrivate = false, string? creator = null, string[]? formats = null, string[]? groups = null,
        string modified = "2025-06-01T09:00:00.123456", string? created = null, string license = "cc-by-40-intl",
        (string Key, string Value)[]? extras = null) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["name"] = name,
        ["title"] = title,
        ["notes"] = notes,
        ["state"] = state,
        ["private"] = isPrivate,
        ["type"] = "dataset",
        ["license_id"] = license,
        ["license_title"] = license,
        ["creator_user_id"] = creator ?? "creator-1",
        ["owner_org"] = "id-" + org,
        ["organization"] = new JsonObject { ["id"] = "id-" + org, ["name"] = org, ["title"] = org == "pref-mie" ? "三重県" : org },
        ["metadata_created"] = created ?? modified,
        ["metadata_modified"] = modified,
        ["tags"] = new JsonArray((tags ?? []).Select(t => (JsonNode?)new JsonObject { ["name"] = t }).ToArray()),
        ["groups"] = new JsonArray((groups ?? []).Select(g => (JsonNode?)new JsonObject { ["id"] = "id-" + g, ["name"] = g, ["title"] = g }).ToArray()),
        ["resources"] = new JsonArray((formats ?? []).Select(f => (JsonNode?)new JsonObject { ["format"] = f, ["name"] = $"{title}.{f.ToLowerInvariant()}", ["url"] = $"http://example.lg.jp/{name}.{f.ToLowerInvariant()}" }).ToArray()),
        ["extras"] = new JsonArray((extras ?? []).Select(e => (JsonNode?)new JsonObject { ["key"] = e.Key, ["value"] = e.Value }).ToArray()),
    };

    public void Dispose()
    {
        Index.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
