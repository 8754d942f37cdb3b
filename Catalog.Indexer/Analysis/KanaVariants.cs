namespace Catalog.Indexer.Analysis;

/// <summary>
/// Katakana spellings folded onto the common one (<c>schemas/search/kana-variants-ja.txt</c>: ヴィ → ビ, ウィ → ウイ,
/// テイ → ティ …, and the long vowel mark dropped): a query term is also searched in its folded spellings, so that
/// サーヴィス finds サービス and コミュニティーバス finds コミュニティバス.
/// </summary>
public sealed class KanaVariants
{
    public static readonly KanaVariants None = new([]);

    private const string LongVowel = "ー";

    private readonly List<(string From, string To)> _rules;

    private KanaVariants(List<(string From, string To)> rules) => _rules = rules;

    public int Count => _rules.Count;

    public static KanaVariants Parse(string text)
    {
        var rules = new List<(string, string)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            var arrow = line.IndexOf("=>", StringComparison.Ordinal);
            if (arrow <= 0) continue;
            var from = TextNormalizer.Fold(line[..arrow].Trim());
            if (from.Length > 0) rules.Add((from, TextNormalizer.Fold(line[(arrow + 2)..].Trim())));
        }
        return new KanaVariants(rules);
    }

    /// <summary>
    /// Spellings of <paramref name="term"/> other than itself: every rule but the long vowel's applied, then with the
    /// long vowel rule too (a title may keep a long vowel that the typed word has elsewhere).
    /// </summary>
    public IReadOnlyList<string> Variants(string term)
    {
        if (_rules.Count == 0 || !term.Any(TextNormalizer.IsKatakana)) return [];
        var variants = new List<string>(2);
        var folded = term;
        foreach (var (from, to) in _rules)
            if (from != LongVowel) folded = folded.Replace(from, to, StringComparison.Ordinal);
        if (folded != term) variants.Add(folded);
        foreach (var (from, to) in _rules)
            if (from == LongVowel) folded = folded.Replace(from, to, StringComparison.Ordinal);
        if (folded != term && !variants.Contains(folded) && folded.Length > 1) variants.Add(folded);
        return variants;
    }
}
