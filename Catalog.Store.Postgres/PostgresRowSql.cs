using System.Globalization;
using System.Text;
using Catalog.Core.DataStore;
using Npgsql;

namespace Catalog.Store.Postgres;

/// <summary>
/// Renders filters and <see cref="RowCondition"/>s over one row table as PostgreSQL, every value a parameter of
/// <paramref name="cmd"/>. Matches the SQLite store's semantics: a value of another type than its column is compared
/// as text (SQLite's affinity does that), NULL handling as in SQLite.
/// </summary>
internal sealed class PostgresRowSql(NpgsqlCommand cmd, IReadOnlyList<RowColumn> columns)
{
    private static string Col(int i) => PostgresRowStore.Col(i);

    private ColumnType TypeOf(int column) => column == RowColumns.IdColumn ? ColumnType.Int : columns[column].Type;

    private static bool IsNumber(object value) => value is long or int or short or double or float or decimal or bool;

    private static bool IsNumeric(ColumnType t) => t is ColumnType.Int or ColumnType.Bool or ColumnType.Numeric;

    public string Param(object? value)
    {
        var name = "@q" + cmd.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        cmd.Parameters.AddWithValue(name[1..], value switch { null => DBNull.Value, bool b => b ? 1L : 0L, _ => value });
        return name;
    }

    /// <summary>The column and the parameter, so that both sides have one type.</summary>
    private (string Column, string Value) Operands(int column, object value)
    {
        var type = TypeOf(column);
        if (IsNumeric(type) == IsNumber(value)) return (Col(column), Param(value));
        return (AsText(column), Param(Convert.ToString(value, CultureInfo.InvariantCulture)));
    }

    /// <summary>The column as text, for word and pattern matching.</summary>
    public string AsText(int column) => IsNumeric(TypeOf(column)) ? $"CAST({Col(column)} AS text)" : Col(column);

    private static readonly string Hiragana = new(Enumerable.Range(0x3041, 0x3096 - 0x3041 + 1).Select(c => (char)c).ToArray());
    private static readonly string Katakana = new(Hiragana.Select(c => (char)(c + 0x60)).ToArray());

    /// <summary>
    /// The column as text folded as <see cref="Catalog.Core.Text.TextFolding.FoldWithKana"/> folds words (NFKC, case,
    /// hiragana as katakana), so that <c>q</c> matches as it does on SQLite and in package_search: the word is folded
    /// in .NET, the cell here. The scripts are constants, not client text.
    /// </summary>
    public string Folded(int column) => $"translate(lower(normalize({AsText(column)}, NFKC)), '{Hiragana}', '{Katakana}')";

    /// <summary>A pattern matching <paramref name="word"/> anywhere, its wildcards escaped (backslash is LIKE's default escape).</summary>
    public static string Contains(string word) => "%" + EscapeLike(word) + "%";

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    public void AppendFilters(StringBuilder where, IEnumerable<(int Column, IReadOnlyList<object?> Values)> filters)
    {
        var first = where.Length == 0;
        foreach (var (column, values) in filters)
        {
            if (!first) where.Append(" AND ");
            first = false;
            var parts = values.Where(v => v is not null).Select(v =>
            {
                var (c, p) = Operands(column, v!);
                return $"{c} = {p}";
            }).ToList();
            if (values.Any(v => v is null)) parts.Add($"{Col(column)} IS NULL");
            where.Append(parts.Count == 0 ? "FALSE" : "(" + string.Join(" OR ", parts) + ")");
        }
    }

    public string Render(RowCondition condition) => condition switch
    {
        AndCondition a => $"({Render(a.Left)} AND {Render(a.Right)})",
        OrCondition o => $"({Render(o.Left)} OR {Render(o.Right)})",
        // SQL's three values: NOT of a comparison with NULL stays unknown, as in SQLite.
        NotCondition n => $"(NOT {Render(n.Operand)})",
        ConstantCondition k => k.Value ? "TRUE" : "FALSE",
        CompareCondition { Value: null, Op: Comparison.Equal } c => $"{Col(c.Column)} IS NULL",
        CompareCondition { Value: null, Op: Comparison.NotEqual } c => $"{Col(c.Column)} IS NOT NULL",
        CompareCondition { Value: null } => "FALSE",
        CompareCondition c => Compare(c),
        TextCondition t => $"{AsText(t.Column)} {(t.IgnoreCase ? "ILIKE" : "LIKE")} {Param(t.Match switch
        {
            TextMatch.StartsWith => EscapeLike(t.Text) + "%",
            TextMatch.EndsWith => "%" + EscapeLike(t.Text),
            _ => "%" + EscapeLike(t.Text) + "%",
        })}",
        _ => throw new ArgumentException("Unknown condition", nameof(condition)),
    };

    private string Compare(CompareCondition c)
    {
        var (column, value) = Operands(c.Column, c.Value!);
        var op = c.Op switch
        {
            Comparison.Equal => "=",
            Comparison.NotEqual => "<>",
            Comparison.Less => "<",
            Comparison.LessOrEqual => "<=",
            Comparison.Greater => ">",
            _ => ">=",
        };
        return $"{column} {op} {value}";
    }
}
