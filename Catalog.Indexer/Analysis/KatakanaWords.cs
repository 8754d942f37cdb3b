namespace Catalog.Indexer.Analysis;

/// <summary>
/// Whole katakana words of a dataset's text (ハザードマップ, コミュニティバス), indexed as they are in
/// <see cref="IndexFields.KanaWords"/>: text fields hold CJK bigrams, which cannot say that ハザードマプ is one letter
/// away from a word, so a typed loanword is compared with these. Runs of katakana only: a hiragana particle next to a
/// loanword (のルート) would otherwise join it.
/// </summary>
public static class KatakanaWords
{
    /// <summary>A query word this long (long vowel marks not counted) tolerates one edit (issue 16: four or more).</summary>
    public const int MinTolerantLength = 4;

    /// <summary>Shorter runs (バス, ゴミ) are parts of words more than words; longer ones are not words.</summary>
    private const int MinLength = 3;
    private const int MaxLength = 40;

    /// <summary>Adds the katakana words of <paramref name="text"/> (NFKC-folded, so half-width ｶﾅ counts) to <paramref name="into"/>.</summary>
    public static void Collect(string? text, ISet<string> into)
    {
        if (string.IsNullOrEmpty(text) || !text.AsSpan().ContainsAnyInRange('\u30A1', '\uFF9F')) return;
        var folded = TextNormalizer.Fold(text);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var inWord = i < folded.Length && TextNormalizer.IsKatakana(folded[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                var length = i - start;
                // A run that is only long vowel marks (ーー) is a dash, not a word.
                if (length is >= MinLength and <= MaxLength && folded[start] != 'ー') into.Add(folded.Substring(start, length));
                start = -1;
            }
        }
    }

    /// <summary>
    /// The word as indexed words are spelt (katakana), when it is a kana word long enough to tolerate one edit; null
    /// otherwise. <paramref name="word"/> is in <see cref="TextNormalizer.Fold"/> form.
    /// </summary>
    public static string? Tolerant(string word)
    {
        if (word.Length < MinTolerantLength || !TextNormalizer.IsKanaOnly(word)) return null;
        var katakana = TextNormalizer.FoldWithKana(word);
        return katakana.Count(c => c != 'ー') >= MinTolerantLength && katakana.Length <= MaxLength ? katakana : null;
    }
}
