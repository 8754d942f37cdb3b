namespace Catalog.Core.DataStore;

/// <summary>A column as clients see it: its field name (the header as written), its type and where it came from.</summary>
public sealed record RowColumn(string Id, ColumnType Type);

/// <summary>
/// The rows of one resource: its columns in order, how many rows, and when they were last replaced. The version
/// changes with every write, so anything cached about the rows (totals) is keyed by it.
/// </summary>
public sealed record RowTable(string ResourceId, IReadOnlyList<RowColumn> Columns, long RowCount, DateTime Modified)
{
    public long Version { get; init; }
}

/// <summary>Where loading a resource's file stands: queued, running, complete or error (with the reason).</summary>
public sealed record IngestionStatus(string ResourceId, string State, string? Error, DateTime Updated, string? Source);

/// <summary>A column of a <see cref="RowTable"/> by position; <see cref="IdColumn"/> is the implicit <c>_id</c>.</summary>
public static class RowColumns
{
    public const int IdColumn = -1;
    public const string IdName = "_id";
}

/// <summary>
/// One search over one table, in column positions only: names were resolved against the table's columns before, so
/// nothing a client wrote reaches the store but as a parameter value.
/// </summary>
public sealed record RowQuery
{
    public required IReadOnlyList<int> Fields { get; init; }
    public IReadOnlyList<(int Column, IReadOnlyList<object?> Values)> Filters { get; init; } = [];
    /// <summary>Words every row must contain somewhere (any column).</summary>
    public IReadOnlyList<string> Words { get; init; } = [];
    /// <summary>Per column, words that column must contain.</summary>
    public IReadOnlyList<(int Column, string Word)> ColumnWords { get; init; } = [];
    public IReadOnlyList<(int Column, bool Descending)> Sort { get; init; } = [];
    /// <summary>A further condition (OData's $filter).</summary>
    public RowCondition? Where { get; init; }
    /// <summary>Only rows after this <c>_id</c> (paging by key).</summary>
    public long? AfterId { get; init; }
    public bool Distinct { get; init; }
    public int Limit { get; init; } = 100;
    public long Offset { get; init; }
    public bool IncludeTotal { get; init; } = true;
}

public sealed record RowPage(IReadOnlyList<object?[]> Records, long? Total);

/// <summary>The answer to one read-only SQL statement: its columns with CKAN type names, rows, and whether rows were cut off.</summary>
public sealed record SqlAnswer(IReadOnlyList<(string Id, string Type)> Fields, IReadOnlyList<object?[]> Records, bool Truncated);

/// <summary>SQL text the store refused to run (not a single SELECT, a table it may not read, a syntax error).</summary>
public sealed class RefusedSqlException(string message) : Exception(message);

/// <summary>
/// The row store behind the DataStore: a table per resource, outside the catalog's own model. Rows are replaced a
/// whole table at a time, so readers see the old rows or the new ones, never a mixture.
/// </summary>
public interface IRowStore
{
    Task<RowTable?> FindAsync(string resourceId, CancellationToken ct);

    /// <summary>Loads <paramref name="rows"/> into a new table and swaps it in for the resource's rows in one transaction.</summary>
    Task<RowTable> ReplaceAsync(string resourceId, IReadOnlyList<RowColumn> columns, IAsyncEnumerable<object?[]> rows, CancellationToken ct);

    /// <summary>Appends rows to the resource's table (datastore_create/upsert with records).</summary>
    Task<long> InsertAsync(RowTable table, IReadOnlyList<object?[]> rows, CancellationToken ct);

    /// <summary>Deletes the rows matching the filters, or the whole table when there are none; false when it had none.</summary>
    Task<bool> DeleteAsync(string resourceId, IReadOnlyList<(int Column, IReadOnlyList<object?> Values)>? filters, CancellationToken ct);

    Task<RowPage> SearchAsync(RowTable table, RowQuery query, CancellationToken ct);

    /// <summary>Every row in <c>_id</c> order, read page by page: a dump never holds the table in memory.</summary>
    IAsyncEnumerable<object?[]> ReadAllAsync(RowTable table, CancellationToken ct);

    /// <summary>
    /// Runs one read-only SELECT in which each of <paramref name="tables"/> is named by its resource id and its
    /// columns by their field names; nothing else is readable. At most <paramref name="maxRows"/> rows, within
    /// <paramref name="timeLimit"/>.
    /// </summary>
    Task<SqlAnswer> SelectAsync(IReadOnlyList<RowTable> tables, string sql, int maxRows, TimeSpan timeLimit, CancellationToken ct);

    /// <summary>Drops the resource's rows and its loading record: the resource is gone.</summary>
    Task ForgetAsync(string resourceId, CancellationToken ct);

    /// <summary>Every resource that has rows (to find rows whose resource is gone).</summary>
    Task<IReadOnlyList<string>> ResourceIdsAsync(CancellationToken ct);

    /// <summary>
    /// Whether the resource's rows have their full-text index for <c>q</c> (built in the background after each load;
    /// until it is there, <c>q</c> scans the rows).
    /// </summary>
    Task<bool> HasTextIndexAsync(string resourceId, CancellationToken ct) => Task.FromResult(false);

    Task<IngestionStatus?> StatusAsync(string resourceId, CancellationToken ct);

    Task SetStatusAsync(string resourceId, string state, string? error, string? source, CancellationToken ct);

    /// <summary>
    /// True when several nodes share these rows (PostgreSQL): loads are claimed, and each node looks again and again
    /// for loads left undone, not only at start. A store of one node's own (SQLite) needs neither.
    /// </summary>
    bool Shared => false;

    /// <summary>
    /// Takes or renews, for <paramref name="owner"/>, the lease on loading <paramref name="source"/> into the
    /// resource's rows; false while another node holds it or once that source is loaded. Always true on a store of
    /// one node's own, whose one queue already loads one resource at a time.
    /// </summary>
    Task<bool> ClaimAsync(string resourceId, string source, string owner, TimeSpan lease, CancellationToken ct) => Task.FromResult(true);
}
