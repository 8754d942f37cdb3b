using System.Text;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;
using ICU4N.Text;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Search.Highlight;

namespace Catalog.Indexer.Highlighting;

/// <summary>
/// Marks what a search matched in a title or description, for pages that show search results: the query is built and the text analysed
/// exactly as search does (so 避難 is marked inside 指定緊急避難場所一覧 and ＡＥＤ marks AED), Lucene's
/// <see cref="QueryScorer"/> tells which tokens matched (phrases only where their words stand together), and the
/// result is HTML-escaped text with the matched parts in <c>&lt;mark&gt;</c>.
/// </summary>
public sealed class SearchHighlighter(SearchVocabulary vocabulary)
{
    private static readonly IReadOnlyList<(string Field, float Boost)> Fields = [(IndexFields.Text, 1f)];
    private static readonly Normalizer2 NfkcCaseFold = Normalizer2.NFKCCaseFoldInstance;

    private readonly DismaxQueryBuilder _dismax = new(vocabulary);

    /// <summary>The text, HTML-escaped, with every part matching <paramref name="q"/> wrapped in &lt;mark&gt;.</summary>
    public string Highlight(string? q, string? text) => For(q)(text);

    /// <summary>
    /// <see cref="Highlight"/> for one query over many texts (a page of results): the query is analysed and built once,
    /// not once per title and excerpt.
    /// </summary>
    public Func<string?, string> For(string? q)
    {
        if (string.IsNullOrWhiteSpace(q)) return text => string.IsNullOrEmpty(text) ? "" : Escape(text);
        var query = _dismax.Build(q, Fields);
        return text => string.IsNullOrEmpty(text) ? "" : Mark(text, Matches(query, text));
    }

    private static string Mark(string text, IReadOnlyList<(int Start, int End)> ranges)
    {
        var html = new StringBuilder(text.Length + ranges.Count * 13);
        var at = 0;
        foreach (var (start, end) in ranges)
        {
            html.Append(Escape(text[at..start])).Append("<mark>").Append(Escape(text[start..end])).Append("</mark>");
            at = end;
        }
        return html.Append(Escape(text[at..])).ToString();
    }

    /// <summary>The matched parts of <paramref name="text"/> as ordered, non-overlapping ranges of the original text.</summary>
    public IReadOnlyList<(int Start, int End)> Matches(string q, string text) => Matches(_dismax.Build(q, Fields), text);

    private static IReadOnlyList<(int Start, int End)> Matches(Lucene.Net.Search.Query query, string text)
    {
        var (folded, originStart, originEnd) = Fold(text);
        var scorer = new QueryScorer(query, IndexFields.Text);
        scorer.SetMaxDocCharsToAnalyze(int.MaxValue);
        var ranges = new List<(int Start, int End)>();
        using (var stream = SearchIndex.IndexAnalyzer.GetTokenStream(IndexFields.Text, folded))
        {
            var offsets = stream.AddAttribute<IOffsetAttribute>();
            stream.Reset();
            var tokens = scorer.Init(stream) ?? stream;
            scorer.StartFragment(new TextFragment(new StringBuilder(), 0, 0));
            while (tokens.IncrementToken())
            {
                if (scorer.GetTokenScore() <= 0 || offsets.EndOffset <= offsets.StartOffset) continue;
                var start = originStart[offsets.StartOffset];
                var end = originEnd[offsets.EndOffset - 1];
                // Overlapping bigrams of one match, and words right next to each other, become one mark.
                if (ranges.Count > 0 && start <= ranges[^1].End && end >= ranges[^1].Start)
                    ranges[^1] = (Math.Min(start, ranges[^1].Start), Math.Max(end, ranges[^1].End));
                else
                    ranges.Add((start, end));
            }
            tokens.End();
        }
        ranges.Sort();
        return Merge(ranges);
    }

    private static List<(int Start, int End)> Merge(List<(int Start, int End)> sorted)
    {
        var merged = new List<(int Start, int End)>();
        foreach (var r in sorted)
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End) merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, r.End));
            else merged.Add(r);
        }
        return merged;
    }

    /// <summary>
    /// The text as search analyses it, and for each of its characters where it came from: normalisation can change
    /// length (half-width ｶﾞ becomes ガ), so the text is folded piece by piece between normalisation boundaries.
    /// </summary>
    private static (string Folded, int[] OriginStart, int[] OriginEnd) Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length);
        var ends = new List<int>(text.Length);
        var pieceStart = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i < text.Length && (char.IsLowSurrogate(text[i]) || !NfkcCaseFold.HasBoundaryBefore(text[i]))) continue;
            var piece = TextNormalizer.FoldWithKana(text[pieceStart..i]);
            folded.Append(piece);
            for (var k = 0; k < piece.Length; k++)
            {
                starts.Add(pieceStart);
                ends.Add(i);
            }
            pieceStart = i;
        }
        return (folded.ToString(), [.. starts], [.. ends]);
    }

    private static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0) return text;
        var html = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            html.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        return html.ToString();
    }
}
