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
        var prefix = new BytesRef(word[..prefixLength]);
        var termsEnum = terms.GetEnumerator();
        if (termsEnum.SeekCeil(prefix) == TermsEnum.SeekStatus.END) return [];
        // Walked for every query that may tolerate a typo: each word is decoded into one buffer and compared there,
        // and only the words kept become strings.
        var chars = new CharsRef(word.Length + maxEdits + 8);
        List<SimilarWord>? found = null;
        for (var seen = 0; seen < MaxVisited; seen++)
        {
            var term = termsEnum.Term;
            if (!StringHelper.StartsWith(term, prefix)) break;
            UnicodeUtil.UTF8toUTF16(term, chars);
            var text = chars.Chars.AsSpan(chars.Offset, chars.Length);
            if (Math.Abs(text.Length - word.Length) <= maxEdits && !text.SequenceEqual(word.AsSpan()) && Distance(word, text) is var edits && edits <= maxEdits)
                (found ??= []).Add(new SimilarWord(text.ToString(), edits, termsEnum.DocFreq));
            if (!termsEnum.MoveNext()) break;
        }
        if (found is null) return [];
        return found.OrderBy(w => w.Edits).ThenByDescending(w => w.DocFreq).ThenBy(w => w.Word, StringComparer.Ordinal).Take(max).ToList();
    }

    /// <summary>Words of the same first letter looked at, at most: a bound on the time, whatever the dictionary.</summary>
    public const int MaxVisited = 20_000;

    /// <summary>Edits between two words, a swap of neighbours counting one (the distance Lucene's automaton allows).</summary>
    public static int Distance(string a, string b) => Distance(a.AsSpan(), b.AsSpan());

    /// <inheritdoc cref="Distance(string, string)"/>
    public static int Distance(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        // Three rows of the table (a swap looks two rows back), on the stack for words of ordinary length.
        var width = b.Length + 1;
        Span<int> rows = width <= 128 ? stackalloc int[3 * width] : new int[3 * width];
        var before = rows[..width];
        var previous = rows.Slice(width, width);
        var current = rows.Slice(2 * width, width);
        for (var j = 0; j < width; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j < width; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = Math.Min(d, before[j - 2] + 1);
                current[j] = d;
            }
            var spare = before;
            before = previous;
            previous = current;
            current = spare;
        }
        return previous[width - 1];
    }
}
