namespace Catalog.Core.DataStore;

/// <summary>
/// What differs between the row stores' SQL for a <see cref="RowQuery"/>: parameter names, truth literals, how a
/// value meets its column, text matching and NULL ordering. The statements' shape is <see cref="RowSql"/>'s. A
/// dialect writes only column positions and parameter names it is given, never text from the client.
/// </summary>
public abstract class RowSqlDialect
{
    /// <summary>The name, in the statement, of the parameter at <paramref name="index"/>.</summary>
    public abstract string ParameterName(int index);

    /// <summary>A value as bound to its parameter.</summary>
    public virtual object ParameterValue(object? value) => value ?? DBNull.Value;

    public abstract string True { get; }
    public abstract string False { get; }

    /// <summary>The two sides of comparing <paramref name="column"/> with a value that is not null.</summary>
    public virtual (string Column, string Value) Operands(RowSql sql, int column, object value) => (RowSql.Col(column), sql.Param(value));

    /// <summary>The column against a LIKE <paramref name="pattern"/> (its wildcards escaped with a backslash), honouring the condition's case.</summary>
    public abstract string Like(RowSql sql, TextCondition condition, string pattern);

    /// <summary>The value of the parameter <see cref="ContainsFolded"/> reads, for a word already folded.</summary>
    public abstract object FoldedWord(string folded);

    /// <summary>Whether <paramref name="column"/>, folded, contains the word in <paramref name="parameter"/>.</summary>
    public abstract string ContainsFolded(RowSql sql, int column, string parameter);

    /// <summary>The direction after a sort column; NULLs come first going up and last going down, on every store.</summary>
    public abstract string Direction(bool descending);

    /// <summary>
    /// A DISTINCT page sorted by columns it does not select, where the database allows DISTINCT to order only by
    /// what it selects; null where it sorts by any column.
    /// </summary>
    public virtual string? DistinctSortedByOthers(RowSql sql, RowQuery query, string select, string from, string limit) => null;
}
