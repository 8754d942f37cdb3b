using System.Security.Cryptography;
using System.Text;

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

    /// <summary>
    /// What the index's documents depend on in this list, as a short hash of the words and readings (comments and
    /// spacing left out): recorded with the index, so that an edited list rebuilds it at the next start.
    /// </summary>
    public string Fingerprint { get; private init; } = "none";

    public static ReadingOverrides Parse(string text)
    {
        var words = new List<(string, string)>();
        foreach (var raw in text.Split('\n'))
        {
            var parts = raw.Split('#')[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2) words.Add((TextNormalizer.Fold(parts[0]), TextNormalizer.FoldWithKana(parts[1])));
        }
        var pairs = string.Join('\n', words.Select(w => w.Item1 + "\t" + w.Item2));
        return new ReadingOverrides(words)
        {
            Fingerprint = words.Count == 0 ? "none" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pairs)))[..16],
        };
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
