using Catalog.Indexer.Analysis;
using Catalog.Indexer.Highlighting;

namespace Catalog.Tests.Search;

/// <summary>Hit highlighting for the web UI: matched parts marked, everything else HTML-escaped.</summary>
public sealed class HighlighterTests
{
    private readonly SearchHighlighter _highlighter = new(SearchVocabulary.LoadEmbedded());

    [TestCase("避難", "指定緊急避難場所一覧", "指定緊急<mark>避難</mark>場所一覧")]
    [TestCase("緊急避難場所", "指定緊急避難場所一覧", "指定<mark>緊急避難場所</mark>一覧")]
    [TestCase("ＡＥＤ", "AED設置箇所一覧", "<mark>AED</mark>設置箇所一覧")]
    [TestCase("aed", "ＡＥＤ設置箇所", "<mark>ＡＥＤ</mark>設置箇所")]
    [TestCase("県", "三重県の人口", "三重<mark>県</mark>の人口")]
    [TestCase("ごみ", "ゴミ収集日", "<mark>ゴミ</mark>収集日")]
    [TestCase("ガイド", "観光ｶﾞｲﾄﾞマップ", "観光<mark>ｶﾞｲﾄﾞ</mark>マップ")]
    [TestCase("air quality", "Air Quality in Tsu", "<mark>Air</mark> <mark>Quality</mark> in Tsu")]
    public void Marks_what_search_matches(string q, string text, string expected) =>
        Assert.That(_highlighter.Highlight(q, text), Is.EqualTo(expected));

    [Test]
    public void Every_occurrence_is_marked_and_phrases_only_where_their_words_stand_together()
    {
        Assert.That(_highlighter.Highlight("避難", "避難所と避難場所"), Is.EqualTo("<mark>避難</mark>所と<mark>避難</mark>場所"));
        Assert.That(_highlighter.Highlight("\"緊急避難\"", "緊急時の避難と緊急避難"), Is.EqualTo("緊急時の避難と<mark>緊急避難</mark>"));
        // 避難場所 and 避難所 are synonyms: search finds both, so both are marked.
        Assert.That(_highlighter.Highlight("避難場所", "避難所と避難場所"), Is.EqualTo("<mark>避難所</mark>と<mark>避難場所</mark>"));
    }

    [Test]
    public void Synonyms_are_marked_as_search_finds_them()
    {
        Assert.That(_highlighter.Highlight("公衆トイレ", "公衆便所の一覧"), Is.EqualTo("<mark>公衆便所</mark>の一覧"));
    }

    [Test]
    public void Text_is_html_escaped_inside_and_outside_marks()
    {
        Assert.That(_highlighter.Highlight("避難", "<b>避難</b> & \"所\""),
            Is.EqualTo("&lt;b&gt;<mark>避難</mark>&lt;/b&gt; &amp; &quot;所&quot;"));
        Assert.That(_highlighter.Highlight("script", "<script>alert('x')</script>"),
            Is.EqualTo("&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark>script</mark>&gt;"));
    }

    [Test]
    public void Nothing_to_mark_leaves_the_text_escaped()
    {
        Assert.That(_highlighter.Highlight("", "a < b"), Is.EqualTo("a &lt; b"));
        Assert.That(_highlighter.Highlight("図書館", "a < b"), Is.EqualTo("a &lt; b"));
        Assert.That(_highlighter.Highlight("-避難 図書館", "避難所"), Is.EqualTo("避難所"), "excluded words are not marked");
        Assert.That(_highlighter.Highlight("避難", null), Is.EqualTo(""));
    }
}
