using System.Reflection;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// The vocabulary search uses, kept as data (<c>schemas/search/</c>): synonym groups, the particles dropped from
/// queries, the question words that need not match, katakana spelling variants and the English glossary. Embedded in the assembly; a folder given in configuration
/// (<c>Catalog:Search:VocabularyDir</c>) replaces any of its files.
/// </summary>
public sealed record SearchVocabulary(SynonymSet Synonyms, IReadOnlySet<string> Stopwords, QuestionWords QuestionWords,
    KanaVariants KanaVariants, Glossary Glossary, ReadingOverrides ReadingOverrides)
{
    public const string SynonymsFile = "synonyms-ja.txt";
    public const string StopwordsFile = "stopwords-ja.txt";
    public const string QuestionWordsFile = "question-words-ja.txt";
    public const string KanaVariantsFile = "kana-variants-ja.txt";
    public const string GlossaryFile = "glossary-en-ja.txt";
    public const string ReadingsFile = "readings-ja.txt";

    /// <summary>Every file of the vocabulary, as named in <c>schemas/search/</c> and in a replacing folder.</summary>
    public static readonly IReadOnlyList<string> Files = [SynonymsFile, StopwordsFile, QuestionWordsFile, KanaVariantsFile, GlossaryFile, ReadingsFile];

    public static SearchVocabulary LoadEmbedded() => From(ReadEmbedded);

    /// <summary>Files missing from <paramref name="folder"/> fall back to the embedded ones.</summary>
    public static SearchVocabulary Load(string folder) =>
        From(name => Path.Combine(folder, name) is var path && File.Exists(path) ? File.ReadAllText(path) : ReadEmbedded(name));

    private static SearchVocabulary From(Func<string, string> read)
    {
        var stopwords = read(StopwordsFile).Split('\n').Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0)
            .Select(TextNormalizer.Fold).ToHashSet(StringComparer.Ordinal);
        return new SearchVocabulary(SynonymSet.Parse(read(SynonymsFile)), stopwords, QuestionWords.Parse(read(QuestionWordsFile), stopwords),
            KanaVariants.Parse(read(KanaVariantsFile)), Glossary.Parse(read(GlossaryFile)), ReadingOverrides.Parse(read(ReadingsFile)));
    }

    private static string ReadEmbedded(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Catalog.Indexer." + name)
            ?? throw new InvalidOperationException($"{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
