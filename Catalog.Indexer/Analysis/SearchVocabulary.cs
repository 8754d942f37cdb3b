using System.Reflection;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// The vocabulary search uses, kept as data (<c>schemas/search/</c>): synonym groups and the particles dropped from
/// queries. Embedded in the assembly; a folder given in configuration replaces it.
/// </summary>
public sealed record SearchVocabulary(SynonymSet Synonyms, IReadOnlySet<string> Stopwords)
{
    public const string SynonymsFile = "synonyms-ja.txt";
    public const string StopwordsFile = "stopwords-ja.txt";

    public static SearchVocabulary LoadEmbedded() =>
        From(ReadEmbedded(SynonymsFile), ReadEmbedded(StopwordsFile));

    /// <summary>Files missing from <paramref name="folder"/> fall back to the embedded ones.</summary>
    public static SearchVocabulary Load(string folder)
    {
        string Read(string name) => Path.Combine(folder, name) is var path && File.Exists(path) ? File.ReadAllText(path) : ReadEmbedded(name);
        return From(Read(SynonymsFile), Read(StopwordsFile));
    }

    private static SearchVocabulary From(string synonyms, string stopwords) => new(
        SynonymSet.Parse(synonyms),
        stopwords.Split('\n').Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0)
            .Select(TextNormalizer.Fold).ToHashSet(StringComparer.Ordinal));

    private static string ReadEmbedded(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Catalog.Indexer." + name)
            ?? throw new InvalidOperationException($"{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
