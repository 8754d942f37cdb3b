using ICU4N.Text;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// The one normalisation every searchable text and every query goes through, so that the forms people type
/// meet the forms publishers wrote: NFKC with case folding (ＡＥＤ → aed, ｶﾀｶﾅ → カタカナ, ① → 1) and
/// hiragana folded onto katakana (ごみ = ゴミ, こども = コドモ). Index and queries fold alike, so the folded forms
/// only ever meet each other.
/// </summary>
public static class TextNormalizer
{
    private static readonly Normalizer2 NfkcCaseFold = Normalizer2.NFKCCaseFoldInstance;

    /// <summary>NFKC + case folding only: what synonym look-up and query segmentation work on.</summary>
    public static string Fold(string text) =>
        // Most values are normalised already: checking is several times cheaper than normalising a copy.
        NfkcCaseFold.SpanQuickCheckYes(text) == text.Length ? text : NfkcCaseFold.Normalize(text);

    /// <summary>The full normalisation, as the analyzers apply it: NFKC, case folding, hiragana as katakana.</summary>
    public static string FoldWithKana(string text)
    {
        var folded = Fold(text);
        if (!folded.AsSpan().ContainsAnyInRange('\u3041', '\u3096')) return folded;
        return string.Create(folded.Length, folded, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = ToKatakana(source[i]);
        });
    }

    public static bool IsHiragana(char c) => c is >= '\u3041' and <= '\u3096';

    /// <summary>Katakana letters and the long vowel mark (ァ … ヺ, ー).</summary>
    public static bool IsKatakana(char c) => c is >= '\u30A1' and <= '\u30FA' or '\u30FC';

    /// <summary>
    /// Text of kana only (hiragana, katakana, the long vowel mark): a reading or a loanword, which word segmentation
    /// cuts into meaningless pieces (としょかん → と しょ かん) and which is searched whole.
    /// </summary>
    public static bool IsKanaOnly(string text) => text.Length > 0 && text.All(c => IsHiragana(c) || IsKatakana(c));

    private static char ToKatakana(char c) => IsHiragana(c) ? (char)(c + 0x60) : c;
}
