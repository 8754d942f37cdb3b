namespace Catalog.Indexer.Analysis;

/// <summary>
/// Readings of words the analyser's dictionary gets wrong (熊野古道: くまのこどう, not クマノフルミチ), as data
/// (<c>schemas/search/readings-ja.txt</c>): a text containing one of the words is also indexed under its reading.
/// </summary>
public sealed class ReadingOverrides
{
    public static readonly ReadingOverrides None = new([]);

    private readonly List<(string Word, string Reading)> _words;

    private ReadingOverrides(List<(string Word, string Reading)> words) => _words = words;

    public int Count => _words.Count;

    public static ReadingOverrides Parse(string text)
    {
        var words = new List<(string, string)>();
        foreach (var raw in text.Split('\n'))
        {
            var parts = raw.Split('#')[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2) words.Add((TextNormalizer.Fold(parts[0]), TextNormalizer.FoldWithKana(parts[1])));
        }
        return new ReadingOverrides(words);
    }

    /// <summary>The readings of the listed words <paramref name="text"/> contains, space-separated; null when none.</summary>
    public string? Of(string text)
    {
        if (_words.Count == 0) return null;
        var folded = TextNormalizer.Fold(text);
        var found = _words.Where(w => folded.Contains(w.Word, StringComparison.Ordinal)).Select(w => w.Reading).ToList();
        return found.Count > 0 ? string.Join(' ', found) : null;
    }
}
