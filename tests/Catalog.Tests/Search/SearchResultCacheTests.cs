using System.Text.Json;
using Catalog.Indexer;
using Catalog.Indexer.Querying;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Catalog.Tests.Search;

/// <summary>What the result cache keeps, for whom, and for how long.</summary>
public sealed class SearchResultCacheTests
{
    private static readonly SearchResult Answer = new(1, [JsonDocument.Parse("{}").RootElement], new Dictionary<string, IReadOnlyList<FacetValue>>());

    private static DirectoryReader EmptyReader()
    {
        var directory = new RAMDirectory();
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, null))) writer.Commit();
        return DirectoryReader.Open(directory);
    }

    [Test]
    public void Keys_tell_callers_and_parameters_apart()
    {
        var cache = new SearchResultCache();
        var anonymous = new SearchRequest { Q = "避難所" };
        var keys = new[]
        {
            cache.KeyFor(anonymous),
            cache.KeyFor(anonymous with { Visibility = SearchVisibility.Everything }),
            cache.KeyFor(anonymous with { Visibility = new SearchVisibility(false, ["public", "creator-u1"], "u1", true, false) }),
            cache.KeyFor(anonymous with { Visibility = new SearchVisibility(false, ["public", "creator-u2"], "u2", true, false) }),
            cache.KeyFor(anonymous with { Start = 10 }),
            cache.KeyFor(anonymous with { Filters = ["organization:a"] }),
            cache.KeyFor(anonymous with { Filters = ["organization:a", "tags:b"] }),
            cache.KeyFor(anonymous with { FacetFields = ["tags"] }),
            cache.KeyFor(anonymous with { Sort = "name asc" }),
            cache.KeyFor(anonymous with { Q = "避難" }),
        };
        Assert.That(keys, Has.None.Null);
        Assert.That(keys.Distinct().Count(), Is.EqualTo(keys.Length));
        Assert.That(cache.KeyFor(new SearchRequest { Q = "避難所" }), Is.EqualTo(keys[0]), "equal requests share a key");
    }

    [Test]
    public void Clock_dependent_deep_and_disabled_requests_are_not_kept()
    {
        var cache = new SearchResultCache();
        Assert.That(cache.KeyFor(new SearchRequest { Filters = ["metadata_modified:[NOW-7DAYS TO *]"] }), Is.Null);
        Assert.That(cache.KeyFor(new SearchRequest { Q = "metadata_created:[* TO NOW]" }), Is.Null);
        Assert.That(cache.KeyFor(new SearchRequest { Rows = 1000 }), Is.Null);
        Assert.That(cache.KeyFor(new SearchRequest { Start = 500 }), Is.Null);
        Assert.That(new SearchResultCache(capacity: 0).KeyFor(new SearchRequest()), Is.Null);
    }

    [Test]
    public void An_answer_serves_only_the_reader_it_came_from()
    {
        var cache = new SearchResultCache();
        using var before = EmptyReader();
        using var after = EmptyReader();
        var key = cache.KeyFor(new SearchRequest { Q = "県" })!;
        cache.Add(before, key, Answer);
        Assert.That(cache.TryGet(before, key, out var found) && ReferenceEquals(found, Answer));
        Assert.That(cache.TryGet(after, key, out _), Is.False, "a new reader (a commit) starts afresh");
        cache.Add(after, key, Answer);
        Assert.That(cache.TryGet(before, key, out _), Is.False, "answers of the old reader are gone");
    }

    [Test]
    public void A_full_cache_starts_over_rather_than_growing()
    {
        var cache = new SearchResultCache(capacity: 3);
        using var reader = EmptyReader();
        for (var i = 0; i < 4; i++) cache.Add(reader, Key(cache, $"k{i}"), Answer);
        Assert.That(cache.TryGet(reader, Key(cache, "k0"), out _), Is.False);
        Assert.That(cache.TryGet(reader, Key(cache, "k3"), out _), Is.True);

        // Fewer entries, but many dicts each: bounded by the dicts held too (ten per entry on average).
        var pages = new SearchResultCache(capacity: 3);
        var page = Answer with { Results = Enumerable.Repeat(Answer.Results[0], 20).ToList() };
        pages.Add(reader, Key(pages, "p0"), page);
        pages.Add(reader, Key(pages, "p1"), page);
        Assert.That(pages.TryGet(reader, Key(pages, "p0"), out _), Is.False, "40 dicts exceed 3 × 10");
        Assert.That(pages.TryGet(reader, Key(pages, "p1"), out _), Is.True);
    }

    private static SearchCacheKey Key(SearchResultCache cache, string q) => cache.KeyFor(new SearchRequest { Q = q })!;

    [Test]
    public void A_negative_size_is_refused_at_start()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SearchServiceCollectionExtensions.ResultCacheKey] = "-1" })
            .Build();
        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddCatalogSearch(configuration));
        Assert.That(e!.Message, Does.Contain("Catalog:Search:ResultCacheSize"));
    }
}
