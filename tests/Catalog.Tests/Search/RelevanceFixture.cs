using Catalog.Indexer.Analysis;
using System.Text.Json.Nodes;
using Catalog.Indexer.Querying;

namespace Catalog.Tests.Search;

/// <summary>A judged query of a relevance fixture: the datasets a user typing it expects to find.</summary>
internal sealed record RelevanceCase(string Q, string Kind, List<string> Expected);

/// <summary>
/// The realistic Mie datasets of Fixtures/relevance-datasets.json indexed twice: by our analysis (with readings when
/// MeCab is installed, as the service runs) and like CKAN's Solr schema; the relevance tests judge query files on both.
/// </summary>
internal sealed class RelevanceFixture : IDisposable
{
    private readonly IndexHarness _ours;

    public List<JsonObject> Datasets { get; }
    public CkanBaselineIndex Ckan { get; }

    public RelevanceFixture()
    {
        Datasets = JsonNode.Parse(File.ReadAllText(Fixture("relevance-datasets.json")))!.AsArray().Select(d => d!.AsObject()).ToList();
        _ours = new IndexHarness(Datasets, Readings.Open(out _));
        Ckan = new CkanBaselineIndex(Datasets);
    }

    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Search", "Fixtures", file);

    public static List<RelevanceCase> Cases(string file) =>
        JsonNode.Parse(File.ReadAllText(Fixture(file)))!.AsArray()
            .Select(c => new RelevanceCase(c!["q"]!.GetValue<string>(), c["kind"]!.GetValue<string>(),
                c["expected"]!.AsArray().Select(e => e!.GetValue<string>()).ToList()))
            .ToList();

    public List<string> OurTop10(string q) =>
        _ours.Search(new SearchRequest { Q = q, Rows = 10, Visibility = SearchVisibility.Everything })
            .Results.Select(r => r.GetProperty("name").GetString()!).ToList();

    public void Dispose()
    {
        _ours.Dispose();
        Ckan.Dispose();
    }
}
