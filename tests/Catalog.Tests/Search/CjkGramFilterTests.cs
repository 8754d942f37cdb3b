using System.Text.Json.Nodes;
using Catalog.Core.Seeding;
using Catalog.Indexer.Analysis;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Catalog.Tests.Search;

/// <summary>
/// CjkGramFilter must cut exactly what Lucene's CJKBigramFilter cuts (terms, positions, offsets, types), so the
/// index and every query mean the same as before: compared token by token over the seed catalog, the relevance
/// fixture and edge cases, with and without unigrams.
/// </summary>
public sealed class CjkGramFilterTests
{
    private static readonly string[] EdgeCases =
    [
        "", "県", "避難所", "三重県の避難所一覧（令和5年4月1日現在）", "AED設置場所", "ａｂｃ漢字ｄｅｆ", "漢字 漢字", "漢　字",
        "カタカナとひらがなと漢字", "𠮷野家の𠮷", "𠮷", "한국어 텍스트", "x", "a b c", "漢.字", "1漢2字3", "ー", "「」", "長い" + new string('語', 300),
        "東京都\n大阪府\t名古屋市", "e-mail と Wi-Fi の設定", "第1回 会議録（PDF）", "ｶﾀｶﾅ半角", "①②③", "〒514-8570 津市広明町13番地",
    ];

    private static IEnumerable<string> Corpus()
    {
        foreach (var text in EdgeCases) yield return text;
        var fixture = Path.Combine(AppContext.BaseDirectory, "Search", "Fixtures", "relevance-datasets.json");
        foreach (var d in JsonNode.Parse(File.ReadAllText(fixture))!.AsArray())
            foreach (var key in new[] { "title", "notes", "author", "maintainer" })
                if (d![key]?.GetValue<string>() is { } value) yield return value;
        var seed = Path.Combine(SeedLoader.FindDefaultSeedDir(AppContext.BaseDirectory)!, "datasets.json");
        foreach (var d in JsonNode.Parse(File.ReadAllText(seed))!.AsArray())
            foreach (var key in new[] { "title", "notes" })
                if (d![key]?.GetValue<string>() is { } value) yield return value;
    }

    private static Analyzer Chain(bool ours, bool unigrams) => Analyzer.NewAnonymous((_, reader) =>
    {
        var tokenizer = new StandardTokenizer(LuceneVersion.LUCENE_48, reader);
        TokenStream stream = new ASCIIFoldingFilter(tokenizer);
        stream = ours
            ? new CjkGramFilter(stream, unigrams)
            : new CJKBigramFilter(stream, CJKScript.HAN | CJKScript.HIRAGANA | CJKScript.KATAKANA | CJKScript.HANGUL, unigrams);
        return new TokenStreamComponents(tokenizer, stream);
    });

    private static List<string> Tokens(Analyzer analyzer, string text)
    {
        var tokens = new List<string>();
        using var stream = analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        var length = stream.AddAttribute<IPositionLengthAttribute>();
        var type = stream.AddAttribute<ITypeAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            tokens.Add($"{term}|+{increment.PositionIncrement}/{length.PositionLength}|{offset.StartOffset}-{offset.EndOffset}|{type.Type}");
        stream.End();
        tokens.Add($"end {offset.EndOffset}");
        return tokens;
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Cuts_the_same_tokens_as_lucenes_cjk_bigram_filter(bool unigrams)
    {
        using var lucene = Chain(ours: false, unigrams);
        using var ours = Chain(ours: true, unigrams);
        var texts = Corpus().ToList();
        Assert.That(texts, Has.Count.GreaterThan(400), "the corpus should cover the fixture");
        foreach (var text in texts)
            Assert.That(Tokens(ours, text), Is.EqualTo(Tokens(lucene, text)), text);
    }

    [Test]
    public void A_reused_stream_starts_clean()
    {
        using var ours = Chain(ours: true, unigrams: true);
        using var lucene = Chain(ours: false, unigrams: true);
        // The same components are reused for each value: nothing of one value may leak into the next.
        foreach (var text in new[] { "避難所 AED", "県", "漢字abc", "", "漢" })
            Assert.That(Tokens(ours, text), Is.EqualTo(Tokens(lucene, text)), text);
    }
}
