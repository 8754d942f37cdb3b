using System.Globalization;
using System.Text;
using Catalog.Core.Text;

namespace Catalog.Core.DataStore;

/// <summary>
/// Row text as the full-text index over rows holds it, and <c>q</c> words as that index is asked: the catalog
/// search's folding (<see cref="TextFolding.FoldWithKana"/>), then runs of CJK letters cut into overlapping bigrams
/// (避難所 → 避難 難所) and runs of other letters and digits kept whole, so that 「避難」 finds 「指定避難所」 and
/// ｶﾀｶﾅ, カタカナ and かたかな find each other. Tokens hold letters and digits only: nothing a client writes is ever
/// read as index query syntax.
/// </summary>
public static class RowText
{
    private enum Kind { Separator, Cjk, Word }

    /// <summary>A cell as the index sees it: its invariant text (numbers as the API writes them).</summary>
    public static string? CellText(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        byte[] => null,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>The folded text of a cell, for the scan that answers what the index cannot (a lone CJK letter).</summary>
    public static string Folded(object? value) => CellText(value) is { } text ? TextFolding.FoldWithKana(text) : "";

    /// <summary>The tokens of a cell, separated by spaces, in order.</summary>
    public static string Tokens(object? value)
    {
        if (CellText(value) is not { Length: > 0 } text) return "";
        var sb = new StringBuilder(text.Length * 3);
        foreach (var (kind, run) in Runs(TextFolding.FoldWithKana(text)))
        {
            if (kind == Kind.Word) Append(sb, run.AsSpan());
            else Bigrams(run, sb);
        }
        return sb.ToString();
    }

    /// <summary>
    /// One <c>q</c> word as an FTS5 phrase: its tokens in a row, the last one as a prefix when it is a word's start (a
    /// Latin or digit run, or a lone CJK letter after another run: the row's own run starts there). Null when the index
    /// cannot answer it (a lone CJK letter elsewhere, no letter or digit at all): the caller scans instead.
    /// </summary>
    public static string? Phrase(string word) =>
        // Tokens are letters and digits only, so the quotes around them need no escaping.
        PhraseOf(word) is { } phrase ? "\"" + string.Join(' ', phrase.Tokens) + "\"" + (phrase.Prefix ? " *" : "") : null;

    /// <summary>The tokens of <see cref="Phrase"/>, for an index other than FTS5; null where <see cref="Phrase"/> is.</summary>
    public static (IReadOnlyList<string> Tokens, bool Prefix)? PhraseOf(string word)
    {
        var runs = Runs(TextFolding.FoldWithKana(word));
        if (runs.Count == 0) return null;
        var sb = new StringBuilder();
        var prefix = false;
        for (var i = 0; i < runs.Count; i++)
        {
            var (kind, run) = runs[i];
            var last = i == runs.Count - 1;
            if (kind == Kind.Word)
            {
                Append(sb, run.AsSpan());
                prefix = last;
            }
            else if (Rune.DecodeFromUtf16(run, out _, out var consumed) == System.Buffers.OperationStatus.Done && consumed == run.Length)
            {
                if (!last || i == 0) return null;
                Append(sb, run.AsSpan());
                prefix = true;
            }
            else Bigrams(run, sb);
        }
        return (sb.ToString().Split(' '), prefix);
    }

    private static void Append(StringBuilder sb, ReadOnlySpan<char> token)
    {
        if (sb.Length > 0) sb.Append(' ');
        sb.Append(token);
    }

    /// <summary>A CJK run as overlapping bigrams; a run of one letter as itself.</summary>
    private static void Bigrams(string run, StringBuilder sb)
    {
        var starts = new List<int>(run.Length + 1);
        for (var i = 0; i < run.Length; i += char.IsSurrogatePair(run, i) ? 2 : 1) starts.Add(i);
        starts.Add(run.Length);
        if (starts.Count == 2) { Append(sb, run.AsSpan()); return; }
        for (var k = 0; k + 2 < starts.Count; k++) Append(sb, run.AsSpan(starts[k], starts[k + 2] - starts[k]));
    }

    private static List<(Kind Kind, string Run)> Runs(string folded)
    {
        var runs = new List<(Kind, string)>();
        var start = 0;
        var current = Kind.Separator;
        var i = 0;
        foreach (var rune in folded.EnumerateRunes())
        {
            var kind = KindOf(rune);
            if (kind != current)
            {
                if (current != Kind.Separator) runs.Add((current, folded[start..i]));
                start = i;
                current = kind;
            }
            i += rune.Utf16SequenceLength;
        }
        if (current != Kind.Separator) runs.Add((current, folded[start..i]));
        return runs;
    }

    private static Kind KindOf(Rune rune)
    {
        if (!Rune.IsLetterOrDigit(rune)) return Kind.Separator;
        var v = rune.Value;
        // Han, kana (with ー and 々), Hangul: the scripts written without spaces, which the catalog search cuts into bigrams.
        var cjk = v is >= 0x2E80 and <= 0xA4CF or >= 0xAC00 and <= 0xD7AF or >= 0x1100 and <= 0x11FF
            or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFF;
        return cjk && Rune.IsLetter(rune) ? Kind.Cjk : Kind.Word;
    }
}
