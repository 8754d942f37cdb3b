using System.Collections.Concurrent;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Icu.Segmentation;
using Lucene.Net.Analysis.TokenAttributes;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// Splits what someone typed into words with ICU's dictionary-based segmentation (三重県の避難所 → 三重 県 避難所),
/// dropping particles, question words (<see cref="QuestionWords"/>) and the single kana ICU leaves of verb endings,
/// so an unspaced Japanese query is matched word by word rather than as one exact string. Text of kana only is one
/// word: a reading or a loanword, which ICU would cut into meaningless pieces.
/// </summary>
public sealed class QuerySegmenter(IReadOnlySet<string> stopwords, QuestionWords? questionWords = null)
{
    private readonly QuestionWords _questionWords = questionWords ?? QuestionWords.None;

    private readonly Analyzer _words = Analyzer.NewAnonymous((_, reader) =>
        new TokenStreamComponents(new ICUTokenizer(reader, new DefaultICUTokenizerConfig(cjkAsWords: true, myanmarAsWords: true))));

    private const int MaxCached = 10_000;

    /// <summary>
    /// Segmentation is a pure function of the text, and ICU's break iterator is shared under a lock: remembering the
    /// words of recent queries keeps concurrent searches from queueing on it.
    /// </summary>
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _recent = new(StringComparer.Ordinal);

    /// <param name="text">Text already in <see cref="TextNormalizer.Fold"/> form.</param>
    public IReadOnlyList<string> Words(string text)
    {
        if (_recent.TryGetValue(text, out var known)) return known;
        if (_recent.Count >= MaxCached) _recent.Clear();
        return _recent[text] = Segment(text);
    }

    private IReadOnlyList<string> Segment(string text)
    {
        if (TextNormalizer.IsKanaOnly(text)) return [text];
        var words = new List<string>();
        using (var stream = _words.GetTokenStream("q", text))
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken()) words.Add(term.ToString());
            stream.End();
        }
        var content = words.Where(w => !IsParticle(w) && !_questionWords.Contains(w) && !IsStrayKana(w)).ToList();
        return content.Count > 0 ? content : words;
    }

    private bool IsParticle(string word) => word.All(TextNormalizer.IsHiragana) && stopwords.Contains(word);

    /// <summary>One hiragana letter on its own: what ICU leaves of a verb's ending (知|り|たい), not a word.</summary>
    private static bool IsStrayKana(string word) => word.Length == 1 && TextNormalizer.IsHiragana(word[0]);
}
