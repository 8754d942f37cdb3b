using System.Globalization;
using System.Text;
using Catalog.Core.DataStore;

namespace Catalog.Store.Postgres;

/// <summary>
/// <c>q</c> over rows on PostgreSQL with the SQLite store's answers: the same tokens (<see cref="RowText"/>, folded and
/// cut in .NET, so the server's parser and locale play no part), held as a <c>tsvector</c> per row whose lexemes carry
/// their column (<c>3.避難</c>), so a phrase never runs from one column into the next and a per-column word is
/// answered by the same GIN index. Written as <c>tsvector</c>/<c>tsquery</c> literals made of letters, digits and
/// the column number only; the query is a parameter, never part of the statement.
/// </summary>
internal static class PostgresRowText
{
    /// <summary>PostgreSQL refuses longer lexemes; a longer token is cut, in rows and in words alike.</summary>
    private const int MaxToken = 200;

    /// <summary>Positions past this are counted as it by PostgreSQL.</summary>
    private const int MaxPosition = 16383;

    /// <summary>A row's cells as a tsvector literal (empty when no cell has a letter or digit).</summary>
    public static string Document(IReadOnlyList<object?> cells)
    {
        var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var column = 0; column < cells.Count; column++)
        {
            var tokens = RowText.Tokens(cells[column]);
            if (tokens.Length == 0) continue;
            var position = 0;
            foreach (var token in tokens.Split(' '))
            {
                position = Math.Min(position + 1, MaxPosition);
                var lexeme = Lexeme(column, token);
                if (!positions.TryGetValue(lexeme, out var list)) positions[lexeme] = list = [];
                // PostgreSQL keeps at most 256 positions of one lexeme.
                if (list.Count < 256 && (list.Count == 0 || list[^1] != position)) list.Add(position);
            }
        }
        var sb = new StringBuilder();
        foreach (var (lexeme, list) in positions)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append('\'').Append(lexeme).Append("':").AppendJoin(',', list);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The words as one tsquery: every phrase must match, a phrase without a column in any one column. Null when
    /// there is nothing to ask the index (no phrase).
    /// </summary>
    public static string? Query(IReadOnlyList<(int? Column, IReadOnlyList<string> Tokens, bool Prefix)> phrases, int width)
    {
        if (phrases.Count == 0 || width == 0) return null;
        return string.Join(" & ", phrases.Select(p => "(" + string.Join(" | ",
            (p.Column is { } one ? [one] : Enumerable.Range(0, width)).Select(column => Phrase(column, p.Tokens, p.Prefix))) + ")"));
    }

    private static string Phrase(int column, IReadOnlyList<string> tokens, bool prefix) =>
        "(" + string.Join(" <-> ", tokens.Select((t, i) => "'" + Lexeme(column, t) + "'" + (prefix && i == tokens.Count - 1 ? ":*" : ""))) + ")";

    /// <summary>
    /// A token in its column; diacritics dropped as SQLite's tokenizer drops them (<c>remove_diacritics</c>). Tokens are
    /// letters and digits only: no quote or backslash can reach the literal.
    /// </summary>
    private static string Lexeme(int column, string token)
    {
        if (!token.All(char.IsAscii)) token = WithoutDiacritics(token);
        if (token.Length > MaxToken) token = token[..MaxToken];
        return column.ToString(CultureInfo.InvariantCulture) + "." + token;
    }

    private static string WithoutDiacritics(string token)
    {
        var decomposed = token.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var latin = false;
        foreach (var ch in decomposed)
        {
            // Marks on Latin letters only, as SQLite's table of diacritics: a kana's voicing mark is part of the letter.
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) { if (!latin) sb.Append(ch); continue; }
            latin = ch < '\u0250' || ch is >= '\u1E00' and <= '\u1EFF';
            sb.Append(ch);
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
