using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Catalog.Indexer.Querying;

/// <summary>
/// A katakana word typed with one letter wrong, missing, extra or swapped (ハザードマプ, コミニュティバス): matches as
/// the indexed words one edit away (<see cref="IndexFields.KanaWords"/>) would, each searched as the word itself
/// is (<paramref name="search"/>). The words are looked up when the searcher rewrites the query against its reader, at
/// most <see cref="MaxExpansions"/> of them, so the query stays as small as a few typed words.
/// </summary>
public sealed class SimilarKanaWordsQuery(string word, Func<string, Query?> search) : Query
{
    public const int MaxExpansions = 3;

    public string Word => word;

    /// <summary>Whether <paramref name="katakana"/> has an indexed word one edit away: what this query would add.</summary>
    public static bool HasSimilar(IndexReader reader, string katakana) =>
        SimilarWords.Find(reader, IndexFields.KanaWords, katakana, maxEdits: 1, max: 1).Count > 0;

    public override Query Rewrite(IndexReader reader)
    {
        var similar = SimilarWords.Find(reader, IndexFields.KanaWords, word, maxEdits: 1, MaxExpansions);
        var any = new BooleanQuery(disableCoord: true) { Boost = Boost };
        foreach (var w in similar)
            if (search(w.Word) is { } q) any.Add(q, Occur.SHOULD);
        // With nothing similar, a query that matches nothing.
        return any;
    }

    public override string ToString(string field) => $"similar({word})";

    public override bool Equals(object? obj) => obj is SimilarKanaWordsQuery other && other.Word == Word && other.Boost == Boost;

    public override int GetHashCode() => HashCode.Combine(Word, Boost);
}
