using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Catalog.Tests.Search;

/// <summary>What the analyzers make of Japanese, width variants and mixed text.</summary>
public sealed class AnalysisTests
{
    private static List<string> Tokens(Analyzer analyzer, string text)
    {
        var tokens = new List<string>();
        using var stream = analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) tokens.Add(term.ToString());
        stream.End();
        return tokens;
    }

    [Test]
    public void Index_side_keeps_bigrams_and_unigrams_of_cjk_runs()
    {
        var tokens = Tokens(JapaneseAnalyzer.ForIndex(), "避難所一覧");
        Assert.That(tokens, Is.EqualTo(new[] { "避", "避難", "難", "難所", "所", "所一", "一", "一覧", "覧" }));
    }

    [Test]
    public void Query_side_uses_bigrams_only_but_a_lone_character_stays()
    {
        Assert.That(Tokens(JapaneseAnalyzer.ForQuery(), "避難所"), Is.EqualTo(new[] { "避難", "難所" }));
        Assert.That(Tokens(JapaneseAnalyzer.ForQuery(), "県"), Is.EqualTo(new[] { "県" }));
    }

    [TestCase("ＡＥＤ設置", new[] { "aed", "設置" })]
    [TestCase("AED", new[] { "aed" })]
    [TestCase("ｶﾀｶﾅ", new[] { "カタ", "タカ", "カナ" })]
    [TestCase("Ｗｉ－Ｆｉ", new[] { "wi", "fi" })]
    [TestCase("２０２４年度", new[] { "2024", "年度" })]
    [TestCase("Café", new[] { "cafe" })]
    public void Width_case_and_accents_are_folded(string text, string[] expected) =>
        Assert.That(Tokens(JapaneseAnalyzer.ForQuery(), text), Is.EqualTo(expected));

    [Test]
    public void Hiragana_and_katakana_spellings_meet()
    {
        Assert.That(Tokens(JapaneseAnalyzer.ForQuery(), "ごみ"), Is.EqualTo(Tokens(JapaneseAnalyzer.ForQuery(), "ゴミ")));
        Assert.That(TextNormalizer.FoldWithKana("こども"), Is.EqualTo("コドモ"));
    }

    [Test]
    public void Ckan_like_analyzer_keeps_a_japanese_sentence_as_one_token_and_stems_english()
    {
        var ckan = new CkanLikeAnalyzer();
        Assert.That(Tokens(ckan, "指定緊急避難場所一覧"), Is.EqualTo(new[] { "指定緊急避難場所一覧" }));
        Assert.That(Tokens(ckan, "Evacuation Shelters"), Is.EqualTo(new[] { "evacu", "shelter" }));
    }

    [Test]
    public void Segmenter_splits_words_and_drops_particles()
    {
        var segmenter = new QuerySegmenter(SearchVocabulary.LoadEmbedded().Stopwords);
        var words = segmenter.Words(TextNormalizer.Fold("三重県の避難所"));
        Assert.That(words, Does.Contain("避難所"));
        Assert.That(words, Does.Not.Contain("の"));
        Assert.That(segmenter.Words("の"), Is.EqualTo(new[] { "の" }), "a query of particles only is kept");
    }

    [Test]
    public void Synonyms_are_loaded_from_data_and_substituted_inside_terms()
    {
        var synonyms = SearchVocabulary.LoadEmbedded().Synonyms;
        Assert.That(synonyms.GroupCount, Is.GreaterThan(20));
        Assert.That(synonyms.Expand("避難所"), Does.Contain("避難場所"));
        Assert.That(synonyms.Expand("aed"), Does.Contain("自動体外式除細動器"));
        Assert.That(synonyms.Expand("公衆トイレ"), Does.Contain("公衆便所"));
        Assert.That(synonyms.Expand("こうしゅうといれ"), Is.EqualTo(new[] { "こうしゅうといれ", "こうしゅう便所", "こうしゅう手洗い", "こうしゅう化粧室" }),
            "hiragana spelling matches the katakana member");
    }

    [Test]
    public void A_substituted_synonym_is_one_word_of_the_query()
    {
        var vocabulary = SearchVocabulary.LoadEmbedded();
        var variant = vocabulary.Synonyms.Variants("三重県の観光施設").Single(v => v.Text == "三重県の観光地");
        Assert.That((variant.Start, variant.Length), Is.EqualTo((4, 3)));

        // 観光地 is matched as the phrase of its bigrams, not as 観光 plus the single character 地 anywhere.
        var query = new DismaxQueryBuilder(vocabulary).Build("観光施設").ToString();
        Assert.That(query, Does.Contain("title:\"観光 光地\""));
        Assert.That(query, Does.Not.Contain("title:地"));
        // The rest of a term is still cut into words: 三重県 is not required next to the synonym.
        var sentence = new DismaxQueryBuilder(vocabulary).Build("三重県の観光施設").ToString();
        Assert.That(sentence, Does.Contain("title:\"三重\"").Or.Contain("title:三重"));
    }

    [Test]
    public void Synonym_text_format_ignores_comments_and_single_members()
    {
        var set = SynonymSet.Parse("# comment\nＡ, b # trailing\nlonely\n\n");
        Assert.That(set.GroupCount, Is.EqualTo(1));
        Assert.That(set.Expand("a"), Is.EqualTo(new[] { "a", "b" }));
    }

    [TestCase(null, 1, 1)]
    [TestCase(null, 2, 2)]
    [TestCase(null, 3, 2)]
    [TestCase(null, 5, 4)]
    [TestCase(null, 10, 8)]
    [TestCase("1", 4, 1)]
    [TestCase("-1", 4, 3)]
    [TestCase("50%", 4, 2)]
    [TestCase("-25%", 4, 3)]
    public void Minimum_match_follows_solr(string? spec, int optional, int expected) =>
        Assert.That(MinimumMatch.Required(spec, optional), Is.EqualTo(expected));

    [TestCase("2025-01-10T08:15:42.123456Z", "2025-01-10T08:15:42.1234560")]
    [TestCase("2020-01-01T00:00:00Z", "2020-01-01T00:00:00.0000000")]
    [TestCase("NOW", "2025-06-15T12:30:45.5000000")]
    [TestCase("NOW-7DAYS", "2025-06-08T12:30:45.5000000")]
    [TestCase("NOW/DAY", "2025-06-15T00:00:00.0000000")]
    [TestCase("NOW/DAY-1MONTH", "2025-05-15T00:00:00.0000000")]
    [TestCase("2020-01-01T00:00:00Z+1YEAR", "2021-01-01T00:00:00.0000000")]
    public void Solr_dates_and_date_math(string text, string expected)
    {
        var now = new DateTime(2025, 6, 15, 12, 30, 45, 500, DateTimeKind.Utc);
        Assert.That(SolrDateMath.TryParse(text, now, out var utc), Is.True);
        Assert.That(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff"), Is.EqualTo(expected));
    }

    [TestCase("yesterday")]
    [TestCase("NOW-7FORTNIGHTS")]
    [TestCase("2020-13-01T00:00:00Z")]
    public void Bad_dates_are_refused(string text) =>
        Assert.That(SolrDateMath.TryParse(text, DateTime.UtcNow, out _), Is.False);
}
