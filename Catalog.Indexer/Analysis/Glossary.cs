namespace Catalog.Indexer.Analysis;

/// <summary>
/// English words and the Japanese words of dataset titles they stand for, as data
/// (<c>schemas/search/glossary-en-ja.txt</c>): <c>library</c> is also searched as 図書館. Looked up by whole word (or
/// its singular), never inside another word (<c>park</c> is not in <c>parking</c>).
/// </summary>
public sealed class Glossary
{
    public static readonly Glossary Empty = new(new Dictionary<string, string[]>());

    private readonly Dictionary<string, string[]> _entries;

    private Glossary(Dictionary<string, string[]> entries) => _entries = entries;

    public int Count => _entries.Count;

    public IEnumerable<string> Words => _entries.Keys;

    public static Glossary Parse(string text)
    {
        var entries = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var word = TextNormalizer.Fold(line[..colon].Trim());
            var japanese = line[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(TextNormalizer.Fold).Distinct(StringComparer.Ordinal).ToArray();
            if (word.Length > 0 && japanese.Length > 0) entries[word] = japanese;
        }
        return new Glossary(entries);
    }

    /// <summary>The Japanese words for an English word (in <see cref="TextNormalizer.Fold"/> form), or none.</summary>
    public IReadOnlyList<string> Translate(string word)
    {
        if (word.Length < 2 || !word.All(char.IsAsciiLetterLower)) return [];
        if (_entries.TryGetValue(word, out var found)) return found;
        foreach (var singular in Singulars(word))
            if (_entries.TryGetValue(singular, out found)) return found;
        return [];
    }

    private static IEnumerable<string> Singulars(string word)
    {
        if (word.EndsWith("ies", StringComparison.Ordinal)) yield return word[..^3] + "y";
        if (word.EndsWith("es", StringComparison.Ordinal)) yield return word[..^2];
        if (word.EndsWith('s')) yield return word[..^1];
    }
}
