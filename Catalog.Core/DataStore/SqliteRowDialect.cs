namespace Catalog.Core.DataStore;

/// <summary>
/// <see cref="RowSql"/> on SQLite: <c>$q0</c> parameters, values compared by the column's affinity, case-sensitive
/// LIKE checked with <c>instr</c> (SQLite's LIKE ignores ASCII case), <c>q</c> scans through <c>catalog_fold</c>.
/// </summary>
public sealed class SqliteRowDialect : RowSqlDialect
{
    public static readonly SqliteRowDialect Instance = new();

    public override string ParameterName(int index) => "$q" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string True => "1";
    public override string False => "0";

    public override string Like(RowSql sql, TextCondition condition, string pattern)
    {
        var column = RowSql.Col(condition.Column);
        return $"{(condition.IgnoreCase ? $"lower({column})" : column)} LIKE {sql.Param(pattern)} ESCAPE '\\'" +
            (condition.IgnoreCase ? "" : $" AND instr({column}, {sql.Param(condition.Text)}) > 0");
    }

    public override object FoldedWord(string folded) => folded;

    public override string ContainsFolded(RowSql sql, int column, string parameter) => $"instr(catalog_fold({RowSql.Col(column)}), {parameter}) > 0";

    public override string Direction(bool descending) => descending ? " DESC" : " ASC";
}
