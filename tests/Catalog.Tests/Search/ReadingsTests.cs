using Catalog.Indexer;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;

namespace Catalog.Tests.Search;

/// <summary>
/// Readings from MeCab (installed by test.sh): 図書館 found by としょかん and トショカン; without an analyser, search
/// works as before and the readings are simply not there.
/// </summary>
public sealed class ReadingsTests
{
    private static List<string> Names(IndexHarness h, string q) =>
        h.Search(new SearchRequest { Q = q, Visibility = SearchVisibility.Everything })
            .Results.Select(r => r.GetProperty("name").GetString()!).ToList();

    [Test]
    public void Mecab_gives_katakana_readings()
    {
        var readings = Readings.Open(out var unavailable);
        Assert.That(readings.Available, Is.True, $"MeCab is installed by test.sh: {unavailable}");
        Assert.That(readings.Of("図書館一覧"), Is.EqualTo("トショカンイチラン"));
    }

    [Test]
    public void With_readings_a_title_is_found_by_its_reading_in_hiragana_or_katakana()
    {
        using var h = new IndexHarness([IndexHarness.Dataset("library", "図書館一覧"), IndexHarness.Dataset("park", "都市公園一覧")],
            Readings.Open(out _));
        Assert.That(Names(h, "としょかん"), Is.EqualTo(new[] { "library" }));
        Assert.That(Names(h, "トショカン"), Is.EqualTo(new[] { "library" }));
        Assert.That(Names(h, "こうえん"), Is.EqualTo(new[] { "park" }));
        Assert.That(Names(h, "図書館"), Is.EqualTo(new[] { "library" }));
    }

    [Test]
    public void Readings_typed_with_voiced_marks_and_readings_the_dictionary_gets_wrong_are_found()
    {
        using var h = new IndexHarness([IndexHarness.Dataset("shelter", "指定避難所一覧"), IndexHarness.Dataset("kodo", "熊野古道 馬越峠ルート"),
            IndexHarness.Dataset("road", "古道の写真")], Readings.Open(out _));
        Assert.That(Names(h, "ひなんじょ"), Is.EqualTo(new[] { "shelter" }), "MeCab reads 避難所 ヒナンショ");
        Assert.That(Names(h, "くまのこどう"), Is.EqualTo(new[] { "kodo" }), "readings-ja.txt: IPADIC reads 熊野古道 クマノフルミチ");
        Assert.That(Readings.Comparable("ヒナンジョ"), Is.EqualTo("ヒナンショ"));
        Assert.That(Readings.Comparable("パン ヴ"), Is.EqualTo("ハン ウ"));
    }

    [Test]
    public void Without_an_analyser_search_works_as_before()
    {
        using var h = new IndexHarness([IndexHarness.Dataset("library", "図書館一覧"), IndexHarness.Dataset("garbage", "ごみ収集カレンダー")],
            Readings.None);
        Assert.That(h.Index.Readings.Available, Is.False);
        Assert.That(Names(h, "としょかん"), Is.Empty);
        Assert.That(Names(h, "図書館"), Is.EqualTo(new[] { "library" }));
        Assert.That(Names(h, "ゴミ"), Is.EqualTo(new[] { "garbage" }), "kana folding needs no readings");
    }
}

/// <summary>status_show tells whether readings are on.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class ReadingsStatusTests(TestStore store) : CatalogApiTests(store)
{
    [Test]
    public async Task Status_show_reports_whether_readings_are_on()
    {
        var status = (await Anon.GetAsync("status_show")).Ok()!;
        Assert.That(status["search"]!["readings"]!.GetValue<bool>(), Is.EqualTo(Readings.Open(out _).Available));
    }
}
