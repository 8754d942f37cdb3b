using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// Text analysis for Japanese (and the Latin words mixed into it): normalised text, UAX#29 tokens, Latin folded
/// to ASCII, and CJK runs cut into overlapping bigrams so that any part of a word is found (避難 finds
/// 指定緊急避難場所一覧). The index side also keeps each CJK character as a unigram at the same position, so
/// single-character queries (県, 市) match; the query side emits bigrams only (a lone character stays a
/// unigram), which keeps multi-character queries precise: 避難所 is the phrase 避難 難所, not 避 or 所.
/// </summary>
public sealed class JapaneseAnalyzer : Analyzer
{
    private readonly bool _unigrams;

    private JapaneseAnalyzer(bool unigrams) => _unigrams = unigrams;

    public static JapaneseAnalyzer ForIndex() => new(unigrams: true);

    public static JapaneseAnalyzer ForQuery() => new(unigrams: false);

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var tokenizer = new StandardTokenizer(LuceneVersion.LUCENE_48, reader);
        TokenStream stream = new ASCIIFoldingFilter(tokenizer);
        stream = new CjkGramFilter(stream, _unigrams);
        return new TokenStreamComponents(tokenizer, stream);
    }

    /// <summary>
    /// Normalises the whole value up front: field values are short, and this is faster than streaming
    /// char filters. Offsets then refer to the normalised text, which has the same length for width and kana folding.
    /// </summary>
    protected override TextReader InitReader(string fieldName, TextReader reader) =>
        new StringReader(TextNormalizer.FoldWithKana(reader.ReadToEnd()));

    /// <summary>Values of a multi-valued field (tags, resource names) must not form phrases across each other.</summary>
    public override int GetPositionIncrementGap(string fieldName) => 100;
}
