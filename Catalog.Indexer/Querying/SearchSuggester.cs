using Catalog.Indexer.Analysis;
using Lucene.Net.Index;

namespace Catalog.Indexer.Querying;

/// <summary>
/// "Did you mean": for a free-text query that found nothing, other queries worth trying, nearest first: a word replaced
/// by the indexed words nearest it (two edits at most: a katakana word among <see cref="IndexFields.KanaWords"/>, a
/// Latin word among the words of <see cref="IndexFields.Text"/>), then, for several words, the query without one of
/// them. These are candidates only: the index holds private datasets' words too, so <see cref="Searcher"/> offers a
/// candidate only when it finds datasets the caller may read.
/// </summary>
public sealed class SearchSuggester(SearchVocabulary vocabulary)
{
    /// <summary>Candidates tried (each one a count-only search), at most.</summary>
    public const int MaxCandidates = 6;

    /// <summary>Queries of more words than this are not taken apart: each candidate costs a search.</summary>
    private const int MaxWords = 6;

    private const int NearPerWord = 2;
    private const int MinLatinLength = 4;

    private readonly QuerySegmenter _segmenter = new(vocabulary.Stopwords, vocabulary.QuestionWords);

    public IReadOnlyList<string> Candidates(IndexReader reader, string q)
    {
        // Operators, phrases and field syntax say exactly what was meant: nothing to second-guess.
        if (q.IndexOfAny(['"', ':', '*', '?', '(', ')']) >= 0) return [];
        var words = new List<string>();
        foreach (var term in q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (term[0] is '-' or '+' || term is "AND" or "OR" or "NOT" or "&&" or "||" or "!") return [];
            words.AddRange(_segmenter.Words(vocabulary.QuestionWords.Strip(TextNormalizer.Fold(term))));
            if (words.Count > MaxWords) return [];
        }
        if (words.Count == 0) return [];
        var candidates = new List<string>();
        for (var i = 0; i < words.Count; i++)
            foreach (var near in Near(reader, words[i]))
                candidates.Add(Join(words, i, near.Word));
        if (words.Count > 1)
            for (var i = 0; i < words.Count; i++)
                candidates.Add(Join(words, i, null));
        var typed = string.Join(' ', words);
        return candidates.Where(c => c.Length > 0 && c != typed).Distinct(StringComparer.Ordinal).Take(MaxCandidates).ToList();
    }

    private static IReadOnlyList<SimilarWord> Near(IndexReader reader, string word)
    {
        if (TextNormalizer.IsKanaOnly(word) && word.Length >= 3)
            return SimilarWords.Find(reader, IndexFields.KanaWords, TextNormalizer.FoldWithKana(word), maxEdits: 2, NearPerWord);
        if (word.Length >= MinLatinLength && word.All(char.IsAsciiLetterLower))
            return SimilarWords.Find(reader, IndexFields.Text, word, maxEdits: word.Length > 5 ? 2 : 1, NearPerWord);
        return [];
    }

    /// <summary>The words with the one at <paramref name="at"/> replaced, or left out when <paramref name="by"/> is null.</summary>
    private static string Join(List<string> words, int at, string? by) =>
        string.Join(' ', words.Select((w, i) => i == at ? by : w).OfType<string>());
}
