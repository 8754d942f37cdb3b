using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>An indexed word near a typed one: how many edits away, and in how many datasets.</summary>
public readonly record struct SimilarWord(string Word, int Edits, int DocFreq);

/// <summary>
/// The indexed words of a field within a few edits of a typed word (insert, delete, replace, or swap two neighbours),
/// found by intersecting Lucene's Levenshtein automaton with the term dictionary: only the terms the automaton can
/// reach are visited, so the cost depends on the word, not on the size of the dictionary. Nearest first, then the
/// most used; at most <c>max</c> of them, so a word can never expand into many.
/// </summary>
public static class SimilarWords
{
    public static IReadOnlyList<SimilarWord> Find(IndexReader reader, string field, string word, int maxEdits, int max, int prefixLength = 1)
    {
        if (max <= 0 || word.Length <= prefixLength || MultiFields.GetTerms(reader, field) is not { } terms) return [];
        var found = new List<SimilarWord>();
        var termsEnum = new FuzzyTermsEnum(terms, new AttributeSource(), new Term(field, word), maxEdits, prefixLength, transpositions: true);
        // A cap on the words looked at, not only on those kept: a short word with two edits allowed is near a great many.
        for (var seen = 0; seen < MaxVisited && termsEnum.MoveNext(); seen++)
        {
            var text = termsEnum.Term.Utf8ToString();
            if (text == word) continue;
            found.Add(new SimilarWord(text, Distance(word, text), termsEnum.DocFreq));
        }
        return found.OrderBy(w => w.Edits).ThenByDescending(w => w.DocFreq).ThenBy(w => w.Word, StringComparer.Ordinal).Take(max).ToList();
    }

    private const int MaxVisited = 256;

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
