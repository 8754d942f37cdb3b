using System.Text.Json;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer;

/// <summary>A dataset package_autocomplete offers, and whether its name or only its title matched.</summary>
public sealed record DatasetSuggestion(string Name, string Title, bool MatchedName);

/// <summary>A resource format and how many resources of visible datasets use it.</summary>
public sealed record FormatSuggestion(string Format, int Count);

/// <summary>
/// Suggestions as someone types, answered from the index and only from datasets anyone may see (active, public):
/// dataset names and titles containing the text (Japanese included), and resource formats.
/// </summary>
public sealed class Autocompleter(SearchIndex index, Searcher searcher)
{
    /// <summary>How many indexed title words a Latin word still being typed may stand for.</summary>
    private const int MaxPrefixExpansions = 64;

    /// <summary>
    /// Datasets whose name contains <paramref name="q"/> (a name starting with it first) or whose title contains it:
    /// a title matches when the analysed query occurs there as a phrase, so 避難 finds 指定緊急避難場所一覧 through
    /// its bigrams, and a Latin word still being typed (shel) stands for the title words it begins.
    /// </summary>
    public IReadOnlyList<DatasetSuggestion> Datasets(string q, int limit)
    {
        var folded = TextNormalizer.Fold(q.Trim());
        if (folded.Length == 0 || limit <= 0) return [];
        var filter = searcher.VisibilityFilter(SearchVisibility.Anonymous);
        // Ranks are sums of constant scores: name prefix (1) + name contains (2) > name contains > title only (1).
        var sort = new Sort(SortField.FIELD_SCORE, new SortField(IndexFields.Name, SortFieldType.STRING));

        return index.WithSearcher(s =>
        {
            var query = new BooleanQuery(disableCoord: true);
            // Looking inside every name costs a pass over all of them: only when the text could be part of one.
            if (CouldBeInName(folded))
            {
                query.Add(new ConstantScoreQuery(new NameContainsFilter(folded, index.Caches.Names)) { Boost = 2f }, Occur.SHOULD);
                query.Add(Constant(new PrefixQuery(new Term(IndexFields.Name, folded)), 1f), Occur.SHOULD);
            }
            if (TitleQuery(s.IndexReader, folded) is { } inTitle) query.Add(Constant(inTitle, 1f), Occur.SHOULD);
            if (query.Clauses.Count == 0) return (IReadOnlyList<DatasetSuggestion>)[];

            var leaves = s.IndexReader.Leaves;
            var suggestions = new List<DatasetSuggestion>();
            foreach (var hit in s.Search(query, filter, limit, sort).ScoreDocs)
            {
                var leaf = leaves[ReaderUtil.SubIndex(hit.Doc, leaves)];
                var reader = leaf.AtomicReader;
                var dict = index.Caches.Dicts.Read(reader, hit.Doc - leaf.DocBase);
                var name = dict.GetProperty("name").GetString()!;
                var title = dict.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { Length: > 0 } tt ? tt : name;
                suggestions.Add(new DatasetSuggestion(name, title, name.Contains(folded, StringComparison.Ordinal)));
            }
            return (IReadOnlyList<DatasetSuggestion>)suggestions;
        });
    }

    /// <summary>
    /// Formats containing <paramref name="q"/> (ignoring case) with their number of resources in visible datasets;
    /// spellings differing only by case are one format, shown as most often written. Most used first, then by name.
    /// </summary>
    public IReadOnlyList<FormatSuggestion> Formats(string q, int limit)
    {
        var needle = q.Trim();
        if (limit <= 0) return [];
        var filter = searcher.VisibilityFilter(SearchVisibility.Anonymous);
        var counts = index.WithSearcher(s =>
        {
            var bySpelling = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var leaf in s.IndexReader.Leaves)
            {
                var reader = leaf.AtomicReader;
                if (reader.GetTerms(IndexFields.ResFormat) is not { } terms) continue;
                if (Visible(filter, leaf, reader) is not { } visible) continue;
                var te = terms.GetEnumerator();
                DocsEnum? docs = null;
                while (te.MoveNext())
                {
                    var format = te.Term.Utf8ToString();
                    if (!format.Contains(needle, StringComparison.OrdinalIgnoreCase)) continue;
                    docs = te.Docs(reader.LiveDocs, docs, DocsFlags.FREQS);
                    var resources = 0;
                    for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc())
                        if (visible.Get(doc)) resources += docs.Freq;
                    if (resources > 0) bySpelling[format] = bySpelling.GetValueOrDefault(format) + resources;
                }
            }
            return bySpelling;
        });

        return counts
            .GroupBy(kv => kv.Key.ToUpperInvariant())
            .Select(g => new FormatSuggestion(
                g.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key,
                g.Sum(kv => kv.Value)))
            .OrderByDescending(f => f.Count).ThenBy(f => f.Format, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }

    /// <summary>Dataset names are lowercase letters, digits, '-' and '_' (CKAN's rule).</summary>
    private static bool CouldBeInName(string text) => text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    private static Query Constant(Query q, float boost) => new ConstantScoreQuery(q) { Boost = boost };

    /// <summary>The query's tokens as a title phrase, the last one widened to the words it begins when it is Latin.</summary>
    private static Query? TitleQuery(IndexReader reader, string folded)
    {
        var tokens = DismaxQueryBuilder.Analyse(folded);
        if (tokens.Count == 0) return null;
        var phrase = new MultiPhraseQuery();
        for (var i = 0; i < tokens.Count; i++)
        {
            var (term, position) = tokens[i];
            var last = i == tokens.Count - 1 && char.IsAsciiLetterOrDigit(folded[^1]) && term.All(char.IsAsciiLetterOrDigit);
            var alternatives = last ? WordsStartingWith(reader, term) : [new Term(IndexFields.Title, term)];
            phrase.Add(alternatives, position);
        }
        return phrase;
    }

    private static Term[] WordsStartingWith(IndexReader reader, string prefix)
    {
        var words = new List<Term> { new(IndexFields.Title, prefix) };
        if (MultiFields.GetTerms(reader, IndexFields.Title) is not { } terms) return [.. words];
        var start = new BytesRef(prefix);
        var te = terms.GetEnumerator();
        if (te.SeekCeil(start) == TermsEnum.SeekStatus.END) return [.. words];
        do
        {
            if (!StringHelper.StartsWith(te.Term, start)) break;
            var word = te.Term.Utf8ToString();
            if (word != prefix) words.Add(new Term(IndexFields.Title, word));
        } while (words.Count < MaxPrefixExpansions && te.MoveNext());
        return [.. words];
    }

    /// <summary>The documents of a segment the filter lets through, with random access.</summary>
    private static IBits? Visible(Filter filter, AtomicReaderContext leaf, AtomicReader reader)
    {
        var set = filter.GetDocIdSet(leaf, reader.LiveDocs);
        if (set is null) return null;
        if (set.Bits is { } bits) return bits;
        if (set.GetIterator() is not { } iterator) return null;
        var copy = new FixedBitSet(reader.MaxDoc);
        copy.Or(iterator);
        return copy;
    }
}
