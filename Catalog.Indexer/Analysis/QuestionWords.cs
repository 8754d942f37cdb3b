namespace Catalog.Indexer.Analysis;

/// <summary>
/// Words that turn a search into a question or a request (どこ, ですか, 教えて, について …), as data
/// (<c>schemas/search/question-words-ja.txt</c>): they need not match. A term ending with one of them loses it, and a
/// segmented word equal to one of them is dropped. Terms of kana only are readings or loanwords and are left alone.
/// </summary>
public sealed class QuestionWords
{
    public static readonly QuestionWords None = new([], new HashSet<string>());

    /// <summary>Endings stripped from a term, longest first.</summary>
    private readonly string[] _endings;

    private readonly IReadOnlySet<string> _particles;

    private readonly HashSet<string> _words;

    private QuestionWords(IEnumerable<string> words, IReadOnlySet<string> particles)
    {
        _words = words.ToHashSet(StringComparer.Ordinal);
        _endings = _words.OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).ToArray();
        _particles = particles;
    }

    public int Count => _words.Count;

    /// <param name="particles">Particles a stripped ending may leave at the end of the term (図書館は|どこですか).</param>
    public static QuestionWords Parse(string text, IReadOnlySet<string> particles) => new(
        text.Split('\n').Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).Select(TextNormalizer.Fold), particles);

    public bool Contains(string word) => _words.Contains(word);

    /// <summary>The term without the question or request it ends with; the term itself when nothing else would remain.</summary>
    /// <param name="term">A term in <see cref="TextNormalizer.Fold"/> form.</param>
    public string Strip(string term)
    {
        if (_words.Count == 0 || TextNormalizer.IsKanaOnly(term)) return term;
        var rest = term;
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var ending in _endings)
            {
                if (rest.Length <= ending.Length || !rest.EndsWith(ending, StringComparison.Ordinal)) continue;
                rest = rest[..^ending.Length];
                changed = true;
                break;
            }
            // The particle before the question goes with it (公園は|どこ); a particle alone is never the whole term.
            while (rest.Length > 1 && _particles.Contains(rest[^1..]))
            {
                rest = rest[..^1];
                changed = true;
            }
        }
        return rest.Length > 0 ? rest : term;
    }
}
