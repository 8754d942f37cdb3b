using Catalog.Indexer;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;

namespace Catalog.Tests.Search;

/// <summary>
/// Katakana words of four or more letters typed with one edit find the dataset (issue 16), below exact matches and
/// through a bounded number of similar words; a query that finds nothing is given "did you mean" suggestions that
/// only ever come from datasets the caller may read. A real index in a temporary folder.
/// </summary>
public sealed class TypoToleranceTests
{
    private IndexHarness _h = null!;

    [OneTimeSetUp]
    public void Build() => _h = new IndexHarness(
    [
        IndexHarness.Dataset("flood-map", "洪水ハザードマップ", notes: "浸水想定区域を示した地図です。"),
        IndexHarness.Dataset("community-bus", "コミュニティバス時刻表"),
        IndexHarness.Dataset("ground", "市民グラウンド利用状況"),
        IndexHarness.Dataset("grand-hall", "グランドホール催し物一覧"),
        IndexHarness.Dataset("tennis", "デニス記念館"),
        IndexHarness.Dataset("park", "都市公園一覧", notes: "The list of city parks and their hospital access."),
        IndexHarness.Dataset("secret", "シークレットプロジェクト計画", isPrivate: true),
    ]);

    [OneTimeTearDown] public void Drop() => _h.Dispose();

    private SearchResult Search(string q, SearchVisibility? visibility = null) =>
        _h.Search(new SearchRequest { Q = q, Rows = 20, Visibility = visibility ?? SearchVisibility.Anonymous });

    private static List<string> Names(SearchResult r) => r.Results.Select(x => x.GetProperty("name").GetString()!).ToList();

    [TestCase("ハザードマプ", "flood-map")]
    [TestCase("ハザドマップ", "flood-map")]
    [TestCase("コミニュティバス", "community-bus")]
    [TestCase("こみゅにてぃばす", "community-bus")]
    [TestCase("ハザードマプ 洪水", "flood-map")]
    public void One_edit_in_a_long_katakana_word_still_finds_the_dataset(string q, string expected) =>
        Assert.That(Names(Search(q)), Is.EqualTo(new[] { expected }));

    [Test]
    public void The_word_as_typed_comes_before_a_word_one_edit_away() =>
        Assert.That(Names(Search("グランド")), Is.EqualTo(new[] { "grand-hall", "ground" }));

    [Test]
    public void Words_shorter_than_four_letters_need_the_exact_spelling() =>
        Assert.That(Search("テニス").Count, Is.Zero, "テニス is one edit from デニス but has three letters");

    [Test]
    public void A_private_dataset_stays_hidden_from_a_typo_of_its_words()
    {
        Assert.That(Search("シークレトプロジェクト").Count, Is.Zero);
        Assert.That(Names(Search("シークレトプロジェクト", SearchVisibility.Everything)), Is.EqualTo(new[] { "secret" }));
    }

    [Test]
    public void Similar_words_are_bounded()
    {
        var many = Enumerable.Range(0, 20).Select(i => IndexHarness.Dataset($"v{i}", $"テストデー{(char)('ア' + 2 * i)}")).ToList();
        using var h = new IndexHarness(many);
        var similar = h.Index.WithSearcher(s => SimilarWords.Find(s.IndexReader, IndexFields.KanaWords, "テストデータ", maxEdits: 1,
            SimilarKanaWordsQuery.MaxExpansions));
        Assert.That(similar, Has.Count.EqualTo(SimilarKanaWordsQuery.MaxExpansions));
        Assert.That(similar.Select(s => s.Edits), Has.All.EqualTo(1));
    }

    [Test]
    public void Distance_counts_a_swap_of_neighbours_as_one_edit()
    {
        Assert.That(SimilarWords.Distance("コミニュティバス", "コミュニティバス"), Is.EqualTo(1));
        Assert.That(SimilarWords.Distance("グランド", "グラウンド"), Is.EqualTo(1));
        Assert.That(SimilarWords.Distance("ハザドマプ", "ハザードマップ"), Is.EqualTo(2));
    }

    [Test]
    public void Katakana_words_are_runs_of_katakana_only()
    {
        var words = new HashSet<string>();
        KatakanaWords.Collect("熊野古道のルートデータ（ｺﾐｭﾆﾃｨﾊﾞｽ）とバス・ハザードマップ", words);
        Assert.That(words, Is.EquivalentTo(new[] { "ルートデータ", "コミュニティバス", "ハザードマップ" }));
        Assert.That(KatakanaWords.Tolerant("ぐらんど"), Is.EqualTo("グランド"));
        Assert.That(KatakanaWords.Tolerant("バレー"), Is.Null, "the long vowel mark does not count");
        Assert.That(KatakanaWords.Tolerant("公園"), Is.Null);
    }

    [Test]
    public void A_query_that_finds_nothing_is_given_the_nearest_words_that_find_something()
    {
        var none = Search("ハザドマプ");
        Assert.That(none.Count, Is.Zero, "two edits are not tolerated");
        Assert.That(none.Suggestions, Is.EqualTo(new[] { "ハザードマップ" }));
        Assert.That(Search("hospitl").Suggestions, Is.EqualTo(new[] { "hospital" }));
        Assert.That(Search("公園 ハザドマプ").Suggestions, Is.EqualTo(new[] { "公園" }), "no dataset has both: the word that finds nothing left out");
        Assert.That(Search("公園").Suggestions, Is.Empty, "only when nothing is found");
    }

    [Test]
    public void Suggestions_never_reveal_words_only_private_datasets_hold()
    {
        Assert.That(Search("シークレトプロジェク").Suggestions, Is.Empty);
        Assert.That(Search("シークレトプロジェク", SearchVisibility.Everything).Suggestions, Is.EqualTo(new[] { "シークレットプロジェクト" }));
    }
}
