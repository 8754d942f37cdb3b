
namespace Catalog.Indexer.Analysis;

/// <summary>
/// Groups of interchangeable words (Solr synonyms.txt format: one group a line, comma-separated, <c>#</c> comments).
/// Applied to queries, not to the index: a group can change without a rebuild, and CJK bigrams make index-side
/// multi-word synonyms awkward. A query term containing a member is also tried with each other member in its place
/// (公衆トイレ → 公衆便所).
/// </summary>
public sealed class SynonymSet
{
    private const int MaxVariants = 8;

    /// <summary>Members (kana-folded) → their group, longest first so the most specific member is replaced.</summary>
    private readonly List<(string Member, string[] Group)> _members;

    public int GroupCount { get; }

    private SynonymSet(List<string[]> groups)
    {
        GroupCount = groups.Count;
        _members = groups
            .SelectMany(g => g.Select(m => (Member: TextNormalizer.FoldWithKana(m), Group: g)))
            .OrderByDescending(x => x.Member.Length)
            .ThenBy(x => x.Member, StringComparer.Ordinal)
            .ToList();
    }

    public static readonly SynonymSet Empty = new([]);

    public static SynonymSet Parse(string text)
    {
        var groups = new List<string[]>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var members = line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(TextNormalizer.Fold)
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            if (members.Length > 1) groups.Add(members);
        }
        return new SynonymSet(groups);
    }

    /// <summary>
    /// The term itself, then the term with each synonym substituted, all in <see cref="TextNormalizer.Fold"/> form.
    /// Kana-folding keeps string length, so a match found in the folded form is replaced at the same place.
    /// </summary>
    public IReadOnlyList<string> Expand(string term) => Variants(term).Select(v => v.Text).ToList();

    /// <summary>As <see cref="Expand"/>, with where each variant's substituted synonym stands in it.</summary>
    public IReadOnlyList<SynonymVariant> Variants(string term)
    {
        var variants = new List<SynonymVariant> { new(term, 0, 0) };
        var folded = TextNormalizer.FoldWithKana(term);
        var covered = new bool[folded.Length];
        foreach (var (member, group) in _members)
        {
            if (variants.Count >= MaxVariants) break;
            var at = folded.IndexOf(member, StringComparison.Ordinal);
            // A shorter member inside a longer one already replaced (所 in 避難所) would only add noise.
            if (at < 0 || covered.AsSpan(at, member.Length).Contains(true)) continue;
            covered.AsSpan(at, member.Length).Fill(true);
            foreach (var alternative in group)
            {
                if (TextNormalizer.FoldWithKana(alternative) == member) continue;
                var variant = string.Concat(term.AsSpan(0, at), alternative, term.AsSpan(at + member.Length));
                if (variants.All(v => v.Text != variant) && variants.Count < MaxVariants)
                    variants.Add(new SynonymVariant(variant, at, alternative.Length));
            }
        }
        return variants;
    }
}

/// <summary>A query term with one synonym substituted at <see cref="Start"/> (<see cref="Length"/> 0: the term as typed).</summary>
public readonly record struct SynonymVariant(string Text, int Start, int Length)
{
    public bool IsSubstitution => Length > 0;
}
