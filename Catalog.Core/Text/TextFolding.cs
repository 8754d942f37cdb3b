using ICU4N.Text;

namespace Catalog.Core.Text;

/// <summary>
/// The one normalisation every searchable text and every query goes through, in the catalog search and over
/// DataStore rows alike, so that the forms people type meet the forms publishers wrote: NFKC with case folding
/// (ＡＥＤ → aed, ｶﾀｶﾅ → カタカナ, ① → 1) and hiragana folded onto katakana (ごみ = ゴミ, こども = コドモ).
/// </summary>
public static class TextFolding
{
    private static readonly Normalizer2 NfkcCaseFold = Normalizer2.NFKCCaseFoldInstance;

    /// <summary>NFKC + case folding only.</summary>
    public static string Fold(string text) =>
        // Most values are normalised already: checking is several times cheaper than normalising a copy.
        NfkcCaseFold.SpanQuickCheckYes(text) == text.Length ? text : NfkcCaseFold.Normalize(text);

    /// <summary>The full normalisation: NFKC, case folding, hiragana as katakana.</summary>
    public static string FoldWithKana(string text)
    {
        var folded = Fold(text);
        if (!folded.AsSpan().ContainsAnyInRange('\u3041', '\u3096')) return folded;
        return string.Create(folded.Length, folded, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = IsHiragana(source[i]) ? (char)(source[i] + 0x60) : source[i];
        });
    }

    public static bool IsHiragana(char c) => c is >= '\u3041' and <= '\u3096';
}
