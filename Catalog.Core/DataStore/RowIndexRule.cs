namespace Catalog.Core.DataStore;

/// <summary>
/// Which columns a search over rows gets an index on, the same on every store: its equality filters' columns (CKAN's
/// <c>filters</c>, OData's <c>eq</c> joined by <c>and</c>), then its sort, so that the first page is read in order
/// without scanning the table; a lone range column when there is neither. Empty for a search that needs none.
/// </summary>
public static class RowIndexRule
{
    /// <summary>Columns in one index, at most.</summary>
    public const int MaxColumns = 4;

    /// <summary>Indexes made on demand per table, at most: enough for the filters a table is really queried by,
    /// bounded so that odd queries cannot make every combination.</summary>
    public const int MaxIndexesPerTable = 8;

    public static IReadOnlyList<(int Column, bool Descending)> For(RowQuery query)
    {
        var columns = new List<(int Column, bool Descending)>();
        void Add(int column, bool descending)
        {
            if (column != RowColumns.IdColumn && columns.Count < MaxColumns && !columns.Any(c => c.Column == column)) columns.Add((column, descending));
        }
        foreach (var (column, _) in query.Filters) Add(column, false);
        void Equalities(RowCondition? condition)
        {
            switch (condition)
            {
                case AndCondition a: Equalities(a.Left); Equalities(a.Right); break;
                case CompareCondition { Op: Comparison.Equal } e: Add(e.Column, false); break;
            }
        }
        Equalities(query.Where);
        foreach (var (column, descending) in query.Sort) Add(column, descending);
        if (columns.Count == 0 && query.Where is CompareCondition { Value: not null } range) Add(range.Column, false);
        return columns;
    }
}
