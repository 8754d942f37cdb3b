using Catalog.Indexer;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;

namespace Catalog.Tests.Search;

/// <summary>The glossary and the katakana spelling variants, as data, and a folder of files replacing the built-in ones.</summary>
public sealed class VocabularyTests
{
    [Test]
    public void English_words_and_their_plurals_translate_by_whole_word()
    {
        var glossary = SearchVocabulary.LoadEmbedded().Glossary;
        Assert.That(glossary.Count, Is.GreaterThan(100));
        Assert.That(glossary.Translate("library"), Does.Contain("図書館"));
        Assert.That(glossary.Translate("toilets"), Does.Contain("トイレ"));
        Assert.That(glossary.Translate("facilities"), Does.Contain("施設"));
        Assert.That(glossary.Translate("parking"), Is.EqualTo(new[] { "駐車場" }), "park is not looked up inside parking");
        Assert.That(glossary.Translate("図書館"), Is.Empty);
    }

    [Test]
    public void Katakana_spellings_fold_onto_the_common_one()
    {
        var variants = SearchVocabulary.LoadEmbedded().KanaVariants;
        Assert.That(variants.Variants("サーヴィス"), Does.Contain("サービス"));
        Assert.That(variants.Variants("コミュニティーバス"), Does.Contain("コミュニティバス"));
        Assert.That(variants.Variants("ボランテイア"), Does.Contain("ボランティア"));
        Assert.That(variants.Variants("図書館"), Is.Empty);
    }

    [Test]
    public void A_vocabulary_folder_replaces_the_files_it_holds()
    {
        var dir = Path.Combine(Path.GetTempPath(), "catalog-tests", "vocabulary-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, SearchVocabulary.GlossaryFile), "# ours\nlibrary: 図書室\n");
            var vocabulary = SearchVocabulary.Load(dir);
            Assert.That(vocabulary.Glossary.Translate("library"), Is.EqualTo(new[] { "図書室" }));
            Assert.That(vocabulary.Glossary.Translate("hospital"), Is.Empty, "the folder's glossary replaces the built-in one whole");
            Assert.That(vocabulary.QuestionWords.Count, Is.EqualTo(SearchVocabulary.LoadEmbedded().QuestionWords.Count), "files it lacks stay built in");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void An_english_query_finds_the_japanese_title()
    {
        using var h = new IndexHarness([IndexHarness.Dataset("toshokan", "図書館一覧")]);
        var found = h.Search(new SearchRequest { Q = "libraries", Visibility = SearchVisibility.Everything });
        Assert.That(found.Count, Is.EqualTo(1));
    }
}
