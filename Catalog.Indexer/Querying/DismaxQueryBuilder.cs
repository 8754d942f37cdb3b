using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Catalog.Indexer.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Catalog.Indexer.Querying;

/// <summary>
/// CKAN's free-text search (Solr dismax: <c>qf=name^4 title^4 tags^2 groups^2 text</c>, <c>tie=0.1</c>,
/// <c>mm=2&lt;-1 5&lt;80%</c>; <c>+term</c>, <c>-term</c> and <c>"phrases"</c>), made to work for Japanese:
/// each term is normalised, expanded with its synonyms, and split into words by ICU segmentation; each word must
/// occur (as a CJK bigram phrase, so partial words match) in one of the fields, and a term whose words also occur
/// together scores higher.
/// </summary>
public sealed partial class DismaxQueryBuilder(SearchVocabulary vocabulary)
{
    public static readonly IReadOnlyList<(string Field, float Boost)> CkanFields =
        [(IndexFields.Name, 4f), (IndexFields.Title, 4f), (IndexFields.Tags, 2f), (IndexFields.Groups, 2f), (IndexFields.Text, 1f)];

    public const float CkanTie = 0.1f;

    /// <summary>Where a term's words found side by side earn a bonus: the title above all, and anywhere.</summary>
    private static readonly IReadOnlyList<(string Field, float Boost)> ProximityFields = [(IndexFields.Title, 4f), (IndexFields.Text, 1f)];

    /// <summary>A synonym counts a little less than the word typed, so exact matches come first.</summary>
    private const float SynonymBoost = 0.7f;

    private readonly QuerySegmenter _segmenter = new(vocabulary.Stopwords, vocabulary.QuestionWords);

    [GeneratedRegex("""(?<op>[+-]?)(?:"(?<phrase>[^"]*)"|(?<word>[^\s"]+))""")]
    private static partial Regex Clause();

    /// <param name="budget">The search's time, which walking positions within a section counts against.</param>
    /// <param name="similar">Whether a long katakana word also matches the indexed words one edit away (below itself).</param>
    public Query Build(string q, IReadOnlyList<(string Field, float Boost)>? fields = null, string? mm = null, float tie = CkanTie,
        SearchBudget? budget = null, bool similar = false)
    {
        fields ??= CkanFields;
        var words = new WordAllowance(QueryLimits.MaxQueryWords);
        var query = new BooleanQuery(disableCoord: true);
        var optional = 0;
        var anyOr = false;
        var negateNext = false;
        foreach (Match m in Clause().Matches(q))
        {
            var quoted = m.Groups["phrase"].Success;
            var text = quoted ? m.Groups["phrase"].Value : m.Groups["word"].Value;
            var op = m.Groups["op"].Value;
            if (!quoted && op.Length == 0)
            {
                // Solr's dismax takes these as operators, not words.
                if (text is "AND" or "&&") continue;
                if (text is "OR" or "||") { anyOr = true; continue; }
                if (text is "NOT" or "!") { negateNext = true; continue; }
            }
            var occur = negateNext || op == "-" ? Occur.MUST_NOT : op == "+" ? Occur.MUST : Occur.SHOULD;
            negateNext = false;
            var folded = TextNormalizer.Fold(text);
            if (!quoted) folded = vocabulary.QuestionWords.Strip(folded);
            if (BuildTerm(folded, quoted, fields, tie, mm, budget, words, similar) is not { } clause) continue;
            query.Add(clause, occur);
            if (occur == Occur.SHOULD) optional++;
        }
        if (query.Clauses.Count > 0 && query.Clauses.All(c => c.Occur == Occur.MUST_NOT))
            query.Add(new MatchAllDocsQuery(), Occur.MUST);
        if (optional > 0 && query.Clauses.Any(c => c.Occur == Occur.SHOULD))
            query.MinimumNumberShouldMatch = anyOr ? 1 : MinimumMatch.Required(mm, optional);
        return query;
    }

    /// <summary>
    /// The query widened, for when its strict form finds too few: a question's with any one of its words enough
    /// (<c>mm=1</c> between terms and between the words of a term), and any query's long katakana words also matching
    /// the indexed words one edit away (<see cref="SimilarKanaWordsQuery"/>). Null when there is nothing to widen: a
    /// keyword query (CKAN's mm holds) without such a word.
    /// </summary>
    /// <param name="reader">
    /// When given, a keyword query is widened only if one of its long katakana words has an indexed word one edit
    /// away: otherwise the widened query finds what the strict one found, and would only search again for it.
    /// </param>
    public Query? BuildRelaxed(string q, IReadOnlyList<(string Field, float Boost)> fields, float tie = CkanTie, SearchBudget? budget = null,
        IndexReader? reader = null)
    {
        var words = 0;
        var question = false;
        var tolerant = false;
        foreach (Match m in Clause().Matches(q))
        {
            if (m.Groups["phrase"].Success) { words++; continue; }
            var term = TextNormalizer.Fold(m.Groups["word"].Value);
            var stripped = vocabulary.QuestionWords.Strip(term);
            question |= stripped != term;
            var segmented = _segmenter.Words(stripped);
            words += segmented.Count;
            tolerant |= m.Groups["op"].Value != "-" && segmented.Any(w => KatakanaWords.Tolerant(w) is { } katakana
                && (reader is null || SimilarKanaWordsQuery.HasSimilar(reader, katakana)));
        }
        // Keyword queries keep CKAN's mm; only a question or request (it ended with question words) is relaxed.
        var relaxed = question && words > 1;
        return relaxed || tolerant ? Build(q, fields, relaxed ? "1" : null, tie, budget, similar: tolerant) : null;
    }

    /// <summary>One term as typed: its synonym variants, any of which may match.</summary>
    private Query? BuildTerm(string term, bool quoted, IReadOnlyList<(string Field, float Boost)> fields, float tie, string? mm,
        SearchBudget? budget, WordAllowance allowance, bool similar)
    {
        if (allowance.Spent) return null;
        // Words near the term as typed only: its spelling variants would find the same words again.
        var variants = Variants(term, quoted)
            .Select((v, i) => BuildVariant(v, quoted, fields, tie, mm, budget, allowance, similar && i == 0) is { } q ? Boosted(q, i == 0 ? 1f : SynonymBoost) : null)
            .OfType<Query>()
            .ToList();
        if (variants.Count <= 1) return variants.FirstOrDefault();
        var any = new BooleanQuery(disableCoord: true);
        foreach (var v in variants) any.Add(v, Occur.SHOULD);
        return any;
    }

    /// <summary>
    /// The term, its synonyms, its katakana spellings folded (<see cref="KanaVariants"/>), and for an English word the
    /// Japanese words of the glossary, each of those one word of the query.
    /// </summary>
    private IReadOnlyList<SynonymVariant> Variants(string term, bool quoted)
    {
        var variants = vocabulary.Synonyms.Variants(term);
        if (quoted) return variants;
        var spellings = vocabulary.KanaVariants.Variants(term);
        var japanese = vocabulary.Glossary.Translate(term);
        if (spellings.Count == 0 && japanese.Count == 0) return variants;
        var all = variants.ToList();
        all.AddRange(spellings.Select(s => new SynonymVariant(s, 0, 0)));
        all.AddRange(japanese.Select(j => new SynonymVariant(j, 0, j.Length)));
        return all;
    }

    private static Query Boosted(Query q, float boost)
    {
        q.Boost *= boost;
        return q;
    }

    private Query? BuildVariant(SynonymVariant variant, bool quoted, IReadOnlyList<(string Field, float Boost)> fields, float tie, string? mm,
        SearchBudget? budget, WordAllowance allowance, bool similar)
    {
        var text = variant.Text;
        var all = quoted ? [text] : Words(variant);
        var words = allowance.Take(all);
        var perWord = words.Select(w => WithSimilar(w, similar && !quoted, WithReading(w, AcrossFields(w, fields, tie, budget)), fields, tie, budget))
            .OfType<Query>().ToList();
        if (perWord.Count == 0) return null;
        if (perWord.Count == 1) return perWord[0];

        var allWords = new BooleanQuery(disableCoord: true);
        foreach (var w in perWord) allWords.Add(w, Occur.SHOULD);
        allWords.MinimumNumberShouldMatch = MinimumMatch.Required(mm, perWord.Count);
        var query = new BooleanQuery(disableCoord: true) { { allWords, Occur.MUST } };
        // Cut short, the variant's text holds words no longer searched: no bonus for finding them all together.
        if (words.Count == all.Count && AcrossFields(text, ProximityFields, tie, budget) is { } together) query.Add(together, Occur.SHOULD);
        return query;
    }

    /// <summary>
    /// The words one <c>q</c> may search, every synonym variant's words counted: each word is a query in each field,
    /// so a long unspaced paragraph (hundreds of words, each variant of it as many again) would build a query that
    /// takes seconds to set up and to run, with nothing matched for the time limit to stop. Words past the allowance
    /// are ignored, as web search engines ignore the words of a query past their limit.
    /// </summary>
    private sealed class WordAllowance(int words)
    {
        private int _left = words;

        public bool Spent => _left <= 0;

        public IReadOnlyList<string> Take(IReadOnlyList<string> wanted)
        {
            var taken = Math.Min(wanted.Count, Math.Max(_left, 0));
            _left -= taken;
            return taken == wanted.Count ? wanted : wanted.Take(taken).ToList();
        }
    }

    /// <summary>
    /// The words of a variant. A substituted synonym stays one word (a phrase of its bigrams): it stands for what was
    /// typed as a unit, and split by segmentation (観光地 → 観光 + 地) it would match its parts anywhere, and cost the
    /// postings of a single character.
    /// </summary>
    private IReadOnlyList<string> Words(SynonymVariant variant)
    {
        if (!variant.IsSubstitution) return _segmenter.Words(variant.Text);
        var before = variant.Text[..variant.Start];
        var after = variant.Text[(variant.Start + variant.Length)..];
        var words = new List<string>();
        if (before.Trim().Length > 0) words.AddRange(_segmenter.Words(before));
        words.Add(variant.Text.Substring(variant.Start, variant.Length));
        if (after.Trim().Length > 0) words.AddRange(_segmenter.Words(after));
        return words;
    }

    /// <summary>What a word one edit from the one typed counts: well below the word itself, so exact matches come first.</summary>
    private const float SimilarBoost = 0.3f;

    /// <summary>A long katakana word, when <paramref name="similar"/>: also the indexed words one edit away.</summary>
    private static Query? WithSimilar(string word, bool similar, Query? query, IReadOnlyList<(string Field, float Boost)> fields, float tie,
        SearchBudget? budget)
    {
        if (!similar || KatakanaWords.Tolerant(word) is not { } katakana) return query;
        var near = new SimilarKanaWordsQuery(katakana, w => AcrossFields(w, fields, tie, budget)) { Boost = SimilarBoost };
        return query is null ? near : new BooleanQuery(disableCoord: true) { { query, Occur.SHOULD }, { near, Occur.SHOULD } };
    }

    /// <summary>How much a match of a word's reading counts: as a tag, below the title the word itself would match.</summary>
    private const float ReadingBoost = 2f;

    /// <summary>
    /// A word of kana only may be a reading typed before conversion (としょかん): it also matches the readings of titles
    /// and tags (<see cref="IndexFields.Reading"/>, empty without an analyser). Other words never look there.
    /// </summary>
    private static Query? WithReading(string word, Query? query)
    {
        if (query is null || word.Length < 2 || !TextNormalizer.IsKanaOnly(word)) return query;
        var tokens = Tokens(Readings.Comparable(TextNormalizer.FoldWithKana(word)));
        if (tokens.Count == 0) return query;
        Query reading = tokens.Count == 1 ? new SharedTermQuery(new Term(IndexFields.Reading, tokens[0].Term)) : Phrase(IndexFields.Reading, tokens);
        reading.Boost = ReadingBoost / tokens.Count;
        return new BooleanQuery(disableCoord: true) { { query, Occur.SHOULD }, { reading, Occur.SHOULD } };
    }

    /// <summary>The best-matching field wins, the others add a little (<paramref name="tie"/>).</summary>
    private static Query? AcrossFields(string text, IReadOnlyList<(string Field, float Boost)> fields, float tie, SearchBudget? budget)
    {
        var disjuncts = new List<Query>(fields.Count);
        var textTokens = (IReadOnlyList<(string Term, int Position)>?)null;
        foreach (var (field, boost) in fields)
        {
            var indexField = IndexFields.FreeTextField(field);
            Query? q;
            if (IndexFields.IsText(indexField))
            {
                textTokens ??= Tokens(text);
                q = textTokens.Count switch
                {
                    0 => null,
                    1 => new SharedTermQuery(new Term(indexField, textTokens[0].Term)),
                    _ => Phrase(indexField, textTokens),
                };
            }
            else
            {
                q = new SharedTermQuery(new Term(indexField, text));
            }
            if (q is null) continue;
            // A phrase scores the sum of its bigrams' weights: divided by their number, a long word (or synonym)
            // weighs about as much as a short one instead of several times more.
            q.Boost = q is PhraseQuery p ? boost / p.GetTerms().Length : boost;
            disjuncts.Add(q);
        }
        if (disjuncts.Count == 0) return null;
        // Only when no field dropped out does the driver's place among the disjuncts match its place among the fields.
        var best = disjuncts.Count == fields.Count ? DisjunctionMax(fields, tie) : new DisjunctionMaxQuery(tie);
        best.Add(disjuncts);
        return best;
    }

    /// <summary>
    /// CKAN's fields (name, title, tags, groups, text) all have their text in <c>text</c>: the disjunction then walks
    /// <c>text</c> alone (<see cref="DrivenDisjunctionMaxQuery"/>), and scores the same.
    /// </summary>
    private static DisjunctionMaxQuery DisjunctionMax(IReadOnlyList<(string Field, float Boost)> fields, float tie)
    {
        var driver = -1;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = IndexFields.FreeTextField(fields[i].Field);
            if (field == IndexFields.Text && driver < 0) driver = i;
            else if (!IndexFields.IsCopiedIntoText(field)) return new DisjunctionMaxQuery(tie);
        }
        return driver >= 0 && fields.Count > 1 ? new DrivenDisjunctionMaxQuery(driver, tie) : new DisjunctionMaxQuery(tie);
    }

    /// <summary>A word's bigrams in order (<see cref="ExactPhraseQuery"/>: Lucene's phrase without its per-segment arrays).</summary>
    private static PhraseQuery Phrase(string field, IReadOnlyList<(string Term, int Position)> tokens)
    {
        var phrase = new ExactPhraseQuery();
        foreach (var (term, position) in tokens) phrase.Add(new Term(field, term), position);
        return phrase;
    }

    private const int MaxCachedTokens = 10_000;

    /// <summary>
    /// <see cref="Analyse"/>, remembered: a pure function of the text, asked several times for every word of every
    /// query (each field, the reading, the words together), and the same words come back query after query.
    /// </summary>
    private static readonly ConcurrentDictionary<string, IReadOnlyList<(string Term, int Position)>> RecentTokens = new(StringComparer.Ordinal);

    private static IReadOnlyList<(string Term, int Position)> Tokens(string text)
    {
        if (RecentTokens.TryGetValue(text, out var known)) return known;
        if (RecentTokens.Count >= MaxCachedTokens) RecentTokens.Clear();
        return RecentTokens[text] = Analyse(text).ToArray();
    }

    /// <summary>Query-side analysis (every text field shares it): terms with their positions.</summary>
    public static List<(string Term, int Position)> Analyse(string text)
    {
        var tokens = new List<(string, int)>();
        using var stream = SearchIndex.QueryAnalyzer.GetTokenStream(IndexFields.Text, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        var position = -1;
        while (stream.IncrementToken())
        {
            position += Math.Max(increment.PositionIncrement, 0);
            tokens.Add((term.ToString(), Math.Max(position, 0)));
        }
        stream.End();
        return tokens;
    }
}
