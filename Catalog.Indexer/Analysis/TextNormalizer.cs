using Catalog.Core.Text;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// The one normalisation every searchable text and every query goes through, so that the forms people type
/// meet the forms publishers wrote: NFKC with case folding (ＡＥＤ → aed, ｶﾀｶﾅ → カタカナ, ① → 1) and
/// hiragana folded onto katakana (ごみ = ゴミ, こども = コドモ). Index and queries fold alike, so the folded forms
/// only ever meet each other. The folding itself is Core's <see cref="TextFolding"/>, which DataStore rows share.
/// </summary>
public static class TextNormalizer
{
    /// <summary>NFKC + case folding only: what synonym look-up and query segmentation work on.</summary>
    public static string Fold(string text) => TextFolding.Fold(text);

    /// <summary>The full normalisation, as the analyzers apply it: NFKC, case folding, hiragana as katakana.</summary>
    public static string FoldWithKana(string text) => TextFolding.FoldWithKana(text);

    public static bool IsHiragana(char c) => TextFolding.IsHiragana(c);

    /// <summary>Katakana letters and the long vowel mark (ァ … ヺ, ー).</summary>
    public static bool IsKatakana(char c) => c is >= '\u30A1' and <= '\u30FA' or '\u30FC';

    /// <summary>
    /// Text of kana only (hiragana, katakana, the long vowel mark): a reading or a loanword, which word segmentation
    /// cuts into meaningless pieces (としょかん → と しょ かん) and which is searched whole.
    /// </summary>
    public static bool IsKanaOnly(string text) => text.Length > 0 && text.All(c => IsHiragana(c) || IsKatakana(c));
}
