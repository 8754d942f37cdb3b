using ICU4N.Text;
using Lucene.Net.Analysis.CharFilters;
using Lucene.Net.Analysis.Icu;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// The one normalisation every searchable text and every query goes through, so that the forms people type
/// meet the forms publishers wrote: NFKC with case folding (ＡＥＤ → aed, ｶﾀｶﾅ → カタカナ, ① → 1) and
/// hiragana folded onto katakana (ごみ = ゴミ, こども = コドモ).
/// </summary>
public static class TextNormalizer
{
    private static readonly Normalizer2 NfkcCaseFold = Normalizer2.NFKCCaseFoldInstance;

    /// <summary>Hiragana → katakana, one character each (U+3041–U+3096 sit 0x60 below their katakana).</summary>
    private static readonly NormalizeCharMap KanaFold = BuildKanaFold();

    /// <summary>NFKC + case folding only: what synonym look-up and query segmentation work on.</summary>
    public static string Fold(string text) => NfkcCaseFold.Normalize(text);

    /// <summary>The full normalisation as the analyzers apply it, for code that compares strings directly.</summary>
    public static string FoldWithKana(string text)
    {
        var folded = Fold(text);
        return string.Create(folded.Length, folded, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = ToKatakana(source[i]);
        });
    }

    public static bool IsHiragana(char c) => c is >= '\u3041' and <= '\u3096';

    /// <summary>Wraps a reader the way analyzers need it (the char filters keep offsets right for highlighting).</summary>
    public static TextReader Wrap(TextReader reader) =>
        new MappingCharFilter(KanaFold, new ICUNormalizer2CharFilter(reader, NfkcCaseFold));

    private static char ToKatakana(char c) => IsHiragana(c) ? (char)(c + 0x60) : c;

    private static NormalizeCharMap BuildKanaFold()
    {
        var builder = new NormalizeCharMap.Builder();
        for (var c = '\u3041'; c <= '\u3096'; c++) builder.Add(c.ToString(), ToKatakana(c).ToString());
        return builder.Build();
    }
}
