using System.Text;

namespace Catalog.Web.Rendering;

/// <summary>
/// Spellings of the visitor's words to offer as "did you mean": the NFKC form (full-width letters and half-width
/// kana folded), and the words with hiragana turned to katakana and back.
/// </summary>
public static class KanaVariants
{
    public static IEnumerable<string> Of(string q)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { q };
        var nfkc = q.Normalize(NormalizationForm.FormKC);
        foreach (var v in new[] { nfkc, Shift(nfkc, 'ぁ', 'ゖ', 0x60), Shift(nfkc, 'ァ', 'ヶ', -0x60) })
            if (seen.Add(v)) yield return v;
    }

    private static string Shift(string s, char from, char to, int by)
    {
        var b = new StringBuilder(s.Length);
        foreach (var c in s) b.Append(c >= from && c <= to ? (char)(c + by) : c);
        return b.ToString();
    }
}
