using System.Data.Common;

namespace Catalog.Core.DataStore;

/// <summary>Rows read back from either row store, each cell as its column's type (booleans are stored as 0/1).</summary>
public static class RowCells
{
    /// <summary>The row under <paramref name="r"/>: one cell per field position, <c>_id</c> an integer.</summary>
    public static object?[] Read(DbDataReader r, IReadOnlyList<int> fields, IReadOnlyList<RowColumn> columns) =>
        fields.Select((f, i) => Read(r, i, f == RowColumns.IdColumn ? ColumnType.Int : columns[f].Type)).ToArray();

    private static object? Read(DbDataReader r, int i, ColumnType type)
    {
        if (r.IsDBNull(i)) return null;
        return type switch
        {
            ColumnType.Int => r.GetInt64(i),
            ColumnType.Numeric => r.GetDouble(i),
            ColumnType.Bool => r.GetInt64(i) != 0,
            _ => r.GetString(i),
        };
    }
}
