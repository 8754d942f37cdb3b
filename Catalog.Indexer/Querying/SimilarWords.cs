using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>An indexed word near a typed one: how many edits away, and in how many datasets.</summary>
public readonly record struct SimilarWord(string Word, int Edits, int DocFreq);

/// <summary>
/// The indexed words of a field within a few edits of a typed word (insert, delete, replace, or swap two neighbours)
/// that begin with the same letter: the term dictionary is sought to that letter and walked while its words begin with
/// it, each word of a near length compared. Lucene's fuzzy terms enumeration would build Levenshtein automata, converted
/// to UTF-8, for every word typed (katakana is three bytes a letter); this walk builds nothing and is bounded. Nearest first, then
/// the most used; at most <c>max</c> of them, so a word can never expand into many, and at most
/// <see cref="MaxVisited"/> words looked at.
/// </summary>
public static class SimilarWords
{
    public static IReadOnlyList<SimilarWord> Find(IndexReader reader, string field, string word, int maxEdits, int max, int prefixLength = 1)
    {
        if (max <= 0 || word.Length <= prefixLength || MultiFields.GetTerms(reader, field) is not { } terms) return [];
        var prefix = word[..prefixLength];
        var termsEnum = terms.GetEnumerator();
        if (termsEnum.SeekCeil(new BytesRef(prefix)) == TermsEnum.SeekStatus.END) return [];
        var found = new List<SimilarWord>();
        for (var seen = 0; seen < MaxVisited; seen++)
        {
            var text = termsEnum.Term.Utf8ToString();
            if (!text.StartsWith(prefix, StringComparison.Ordinal)) break;
            if (text != word && Math.Abs(text.Length - word.Length) <= maxEdits && Distance(word, text) is var edits && edits <= maxEdits)
                found.Add(new SimilarWord(text, edits, termsEnum.DocFreq));
            if (!termsEnum.MoveNext()) break;
        }
        return found.OrderBy(w => w.Edits).ThenByDescending(w => w.DocFreq).ThenBy(w => w.Word, StringComparer.Ordinal).Take(max).ToList();
    }

    /// <summary>Words of the same first letter looked at, at most: a bound on the time, whatever the dictionary.</summary>
    public const int MaxVisited = 20_000;

    /// <summary>Edits between two words, a swap of neighbours counting one (the distance Lucene's automaton allows).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
