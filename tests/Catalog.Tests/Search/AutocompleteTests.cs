using Catalog.Indexer;
using static Catalog.Tests.Search.IndexHarness;

namespace Catalog.Tests.Search;

/// <summary>package_autocomplete and format_autocomplete as the index answers them.</summary>
public sealed class AutocompleteTests
{
    private IndexHarness _index = null!;
    private Autocompleter _complete = null!;

    [OneTimeSetUp]
    public void Build()
    {
        _index = new IndexHarness(
        [
            Dataset("240001_shelter_list", "指定緊急避難場所一覧", formats: ["CSV", "CSV", "GeoJSON"]),
            Dataset("shelter-capacity", "避難所の収容人数", formats: ["csv", "XLSX"]),
            Dataset("aed-locations", "ＡＥＤ設置箇所", formats: ["PDF"]),
            Dataset("public-toilets", "Public toilets in Tsu city", formats: ["KML"]),
            Dataset("hidden-shelters", "非公開の避難所", isPrivate: true, formats: ["JSONL", "JSONL", "JSONL"]),
            Dataset("draft-shelters", "作成中の避難所", state: "draft", formats: ["CSV", "CSV", "CSV", "CSV"]),
        ]);
        _complete = new Autocompleter(_index.Index, _index.Searcher);
    }

    [OneTimeTearDown] public void Dispose() => _index.Dispose();

    private List<string> Names(string q, int limit = 10) => _complete.Datasets(q, limit).Select(s => s.Name).ToList();

    [Test]
    public void Names_match_anywhere_and_those_starting_with_the_text_come_first()
    {
        var found = _complete.Datasets("shelter", 10);
        Assert.That(found.Select(s => s.Name), Is.EqualTo(new[] { "shelter-capacity", "240001_shelter_list" }));
        Assert.That(found.All(s => s.MatchedName), Is.True);
        Assert.That(Names("_shel"), Is.EqualTo(new[] { "240001_shelter_list" }));
    }

    [Test]
    public void Japanese_parts_of_titles_match()
    {
        var found = _complete.Datasets("避難", 10);
        Assert.That(found.Select(s => s.Name), Is.EquivalentTo(new[] { "240001_shelter_list", "shelter-capacity" }));
        Assert.That(found.Single(s => s.Name == "240001_shelter_list").Title, Is.EqualTo("指定緊急避難場所一覧"));
        Assert.That(found.All(s => !s.MatchedName), Is.True);
        Assert.That(Names("緊急避難"), Is.EqualTo(new[] { "240001_shelter_list" }));
        Assert.That(Names("人数"), Is.EqualTo(new[] { "shelter-capacity" }));
        // hiragana and katakana, full and half width are one
        Assert.That(Names("aed"), Is.EqualTo(new[] { "aed-locations" }));
        Assert.That(Names("設置"), Is.EqualTo(new[] { "aed-locations" }));
    }

    [Test]
    public void A_latin_word_being_typed_matches_the_title_words_it_begins()
    {
        Assert.That(Names("toil"), Is.EqualTo(new[] { "public-toilets" }));
        Assert.That(Names("Tsu ci"), Is.EqualTo(new[] { "public-toilets" }));
        var byTitle = _complete.Datasets("tsu", 10).Single();
        Assert.That((byTitle.Name, byTitle.MatchedName), Is.EqualTo(("public-toilets", false)));
        Assert.That(Names("toilets tsu"), Is.Empty, "title words must come in order");
    }

    [Test]
    public void Private_and_draft_datasets_are_never_offered_and_limit_applies()
    {
        Assert.That(Names("非公開"), Is.Empty);
        Assert.That(Names("作成中"), Is.Empty);
        Assert.That(Names("shelters"), Is.Empty);
        Assert.That(Names("避難", limit: 1), Has.Count.EqualTo(1));
        Assert.That(Names("   "), Is.Empty);
        Assert.That(Names("zzz"), Is.Empty);
    }

    [Test]
    public void Formats_count_resources_of_visible_datasets_ignoring_case()
    {
        var formats = _complete.Formats("s", 5);
        Assert.That(formats, Is.EqualTo(new[]
        {
            new FormatSuggestion("CSV", 3), new FormatSuggestion("GeoJSON", 1), new FormatSuggestion("XLSX", 1),
        }));
        Assert.That(_complete.Formats("JSON", 5).Select(f => f.Format), Is.EqualTo(new[] { "GeoJSON" }));
        Assert.That(_complete.Formats("", 2).Select(f => f.Format), Is.EqualTo(new[] { "CSV", "GeoJSON" }));
        Assert.That(_complete.Formats("jsonl", 5), Is.Empty);
        Assert.That(_complete.Formats("s", 0), Is.Empty);
    }

    [Test]
    public void Formats_follow_updates_and_deletions()
    {
        using var index = new IndexHarness([Dataset("one", "一つ目", formats: ["SHP", "SHP"]), Dataset("two", "二つ目", formats: ["SHP"])]);
        var complete = new Autocompleter(index.Index, index.Searcher);
        Assert.That(complete.Formats("shp", 5), Is.EqualTo(new[] { new FormatSuggestion("SHP", 3) }));

        var two = Dataset("two", "二つ目", formats: ["SHP", "SHP", "SHP"]);
        index.Index.Delete(index.Search(new() { Q = "name:two", Visibility = Catalog.Indexer.Querying.SearchVisibility.Everything })
            .Results.Single().GetProperty("id").GetString()!);
        index.Index.Upsert(two);
        index.Index.Commit(2);
        Assert.That(complete.Formats("shp", 5), Is.EqualTo(new[] { new FormatSuggestion("SHP", 5) }));
    }
}
