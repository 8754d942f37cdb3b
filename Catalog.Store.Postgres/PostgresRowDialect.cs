using System.Globalization;
using Catalog.Core.DataStore;

namespace Catalog.Store.Postgres;

/// <summary>
/// <see cref="RowSql"/> on PostgreSQL, with the SQLite store's semantics: a value of another type than its column is
/// compared as text (SQLite's affinity does that), NULLs sort first going up, booleans are 0/1, and <c>q</c> scans
/// fold cells as .NET folds words.
/// </summary>
public sealed class PostgresRowDialect : RowSqlDialect
{
    public static readonly PostgresRowDialect Instance = new();

    public override string ParameterName(int index) => "@q" + index.ToString(CultureInfo.InvariantCulture);

    public override object ParameterValue(object? value) => value switch { null => DBNull.Value, bool b => b ? 1L : 0L, _ => value };

    public override string True => "TRUE";
    public override string False => "FALSE";

    private static bool IsNumber(object value) => value is long or int or short or double or float or decimal or bool;

    private static bool IsNumeric(ColumnType t) => t is ColumnType.Int or ColumnType.Bool or ColumnType.Numeric;

    /// <summary>The column and the parameter, so that both sides have one type.</summary>
    public override (string Column, string Value) Operands(RowSql sql, int column, object value)
    {
        if (IsNumeric(sql.TypeOf(column)) == IsNumber(value)) return (RowSql.Col(column), sql.Param(value));
        return (AsText(sql, column), sql.Param(Convert.ToString(value, CultureInfo.InvariantCulture)));
    }

    /// <summary>The column as text, for word and pattern matching.</summary>
    private static string AsText(RowSql sql, int column) =>
        IsNumeric(sql.TypeOf(column)) ? $"CAST({RowSql.Col(column)} AS text)" : RowSql.Col(column);

    // Backslash is LIKE's default escape here.
    public override string Like(RowSql sql, TextCondition condition, string pattern) =>
        $"{AsText(sql, condition.Column)} {(condition.IgnoreCase ? "ILIKE" : "LIKE")} {sql.Param(pattern)}";

    private static readonly string Hiragana = new(Enumerable.Range(0x3041, 0x3096 - 0x3041 + 1).Select(c => (char)c).ToArray());
    private static readonly string Katakana = new(Hiragana.Select(c => (char)(c + 0x60)).ToArray());

    /// <summary>A pattern matching the word anywhere, its wildcards escaped.</summary>
    public override object FoldedWord(string folded) => "%" + folded.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>
    /// The cell folded as <see cref="Catalog.Core.Text.TextFolding.FoldWithKana"/> folds words (NFKC, case, hiragana as
    /// katakana), so that <c>q</c> matches as it does on SQLite and in package_search: the word is folded in .NET, the
    /// cell here. The scripts are constants, not client text.
    /// </summary>
    public override string ContainsFolded(RowSql sql, int column, string parameter) =>
        $"translate(lower(normalize({AsText(sql, column)}, NFKC)), '{Hiragana}', '{Katakana}') LIKE {parameter}";

    public override string Direction(bool descending) => descending ? " DESC NULLS LAST" : " ASC NULLS FIRST";

    /// <summary>DISTINCT orders only by what it selects: a sort on other columns goes through a subquery.</summary>
    public override string DistinctSortedByOthers(RowSql sql, RowQuery query, string select, string from, string limit) =>
        $"SELECT {select} FROM (SELECT DISTINCT ON ({select}) {select}, {string.Join(", ", query.Sort.Select((s, i) => $"{RowSql.Col(s.Column)} AS \"s{i}\""))} {from}) AS q " +
        $"ORDER BY {string.Join(", ", query.Sort.Select((s, i) => $"\"s{i}\"" + Direction(s.Descending)))} {limit}";
}
