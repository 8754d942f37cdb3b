using System.Text.Json.Nodes;
using Catalog.Indexer;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;

namespace Catalog.Tests.Search;

/// <summary>
/// Questions and requests typed as to a person: their question words need not match, and when the strict match finds
/// too few, what shares their content words follows the strict hits.
/// </summary>
public sealed class QuestionQueryTests
{
    private IndexHarness _h = null!;

    [OneTimeSetUp]
    public void Load()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Search", "Fixtures", "relevance-datasets.json");
        _h = new IndexHarness(JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(d => d!.AsObject()));
    }

    [OneTimeTearDown]
    public void Drop() => _h.Dispose();

    private SearchResult Search(string q, string? mm = null) =>
        _h.Search(new SearchRequest { Q = q, Mm = mm, Rows = 20, Visibility = SearchVisibility.Everything });

    private static List<string> Names(SearchResult r) => r.Results.Select(x => x.GetProperty("name").GetString()!).ToList();

    [Test]
    public void Question_endings_are_stripped_from_terms_but_kana_only_terms_are_kept()
    {
        var words = SearchVocabulary.LoadEmbedded().QuestionWords;
        Assert.That(words.Count, Is.GreaterThan(50));
        Assert.That(words.Strip("図書館はどこですか"), Is.EqualTo("図書館"));
        Assert.That(words.Strip("ごみの分け方を教えてほしい"), Is.EqualTo("ごみの分け方"));
        Assert.That(words.Strip("台風のときの避難所について"), Is.EqualTo("台風のときの避難所"));
        Assert.That(words.Strip("どこですか"), Is.EqualTo("どこですか"), "nothing would remain: searched as typed");
        Assert.That(words.Strip("かいたい"), Is.EqualTo("かいたい"), "a reading typed in kana is not a question");
    }

    [Test]
    public void Question_words_left_inside_a_query_are_dropped_by_the_segmenter()
    {
        var vocabulary = SearchVocabulary.LoadEmbedded();
        var segmenter = new QuerySegmenter(vocabulary.Stopwords, vocabulary.QuestionWords);
        Assert.That(segmenter.Words("台風のときの避難所"), Is.EqualTo(new[] { "台風", "避難所" }));
        Assert.That(segmenter.Words("としょかん"), Is.EqualTo(new[] { "としょかん" }), "kana only is one word");
    }

    [Test]
    public void A_question_finds_what_its_content_words_find()
    {
        Assert.That(Names(Search("図書館はどこですか")), Is.EquivalentTo(Names(Search("図書館"))));
        Assert.That(Search("図書館はどこですか").Count, Is.EqualTo(3));
    }

    [Test]
    public void When_the_strict_match_finds_too_few_datasets_sharing_some_words_follow_below()
    {
        // Strictly, few of Tsu's datasets mention parks.
        var strict = Search("津市の公園", mm: "100%");
        Assert.That(strict.Count, Is.LessThan(Searcher.RelaxBelow));
        Assert.That(Names(strict)[0], Is.EqualTo("242012_city_park"));

        var relaxed = Search("津市の公園はどこにありますか");
        var names = Names(relaxed);
        Assert.That(names[0], Is.EqualTo("242012_city_park"), "the strict hit comes first");
        Assert.That(relaxed.Count, Is.GreaterThan(strict.Count));
        Assert.That(names, Does.Contain("242021_city_park").And.Contain("242012_library"), "parks elsewhere and Tsu's other datasets follow");
    }

    [Test]
    public void A_client_that_sets_mm_gets_no_relaxed_match() =>
        Assert.That(Search("公園 図書館 給食", mm: "100%").Count, Is.EqualTo(0));

    [Test]
    public void Enough_strict_hits_are_not_widened() =>
        Assert.That(Search("避難 防災").Count, Is.EqualTo(Search("避難 防災", mm: MinimumMatch.CkanDefault).Count).And.GreaterThan(Searcher.RelaxBelow));
}
