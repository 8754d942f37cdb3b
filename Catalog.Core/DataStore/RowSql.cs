using System.Globalization;

namespace Catalog.Core.DataStore;

/// <summary>
/// A <see cref="RowQuery"/> as SQL over one row table, for either row store: the statements' shape is written here
/// once, and what differs between the databases is the <see cref="RowSqlDialect"/>'s. Identifiers come only from
/// column positions and the table name the store gives; every value (filters, words, conditions, limits) is a
/// parameter, collected in <see cref="Parameters"/> for the store to bind.
/// </summary>
public sealed class RowSql(RowSqlDialect dialect, IReadOnlyList<RowColumn> columns)
{
    private readonly List<(string Name, object Value)> _parameters = [];

    /// <summary>The parameters made so far, in order; each store binds them by name.</summary>
    public IReadOnlyList<(string Name, object Value)> Parameters => _parameters;

    public static string Col(int i) => i == RowColumns.IdColumn ? "\"_id\"" : $"\"c{i.ToString(CultureInfo.InvariantCulture)}\"";

    public ColumnType TypeOf(int column) => column == RowColumns.IdColumn ? ColumnType.Int : columns[column].Type;

    public string Param(object? value)
    {
        var name = dialect.ParameterName(_parameters.Count);
        _parameters.Add((name, dialect.ParameterValue(value)));
        return name;
    }

    /// <summary>One clause per filtered column: one of its values (IS NULL for a null).</summary>
    public List<string> Filters(IEnumerable<(int Column, IReadOnlyList<object?> Values)> filters)
    {
        var clauses = new List<string>();
        foreach (var (column, values) in filters)
        {
            // Values a dialect compares the same way (all of them, unless a value of another type is compared as text) share one IN.
            var parts = values.Where(v => v is not null).Select(v => dialect.Operands(this, column, v!)).ToList()
                .GroupBy(o => o.Column, o => o.Value, StringComparer.Ordinal)
                .Select(g => $"{g.Key} IN ({string.Join(", ", g)})").ToList();
            if (values.Any(v => v is null)) parts.Add($"{Col(column)} IS NULL");
            clauses.Add(parts.Count == 0 ? dialect.False : "(" + string.Join(" OR ", parts) + ")");
        }
        return clauses;
    }

    public string Render(RowCondition condition) => condition switch
    {
        AndCondition a => $"({Render(a.Left)} AND {Render(a.Right)})",
        OrCondition o => $"({Render(o.Left)} OR {Render(o.Right)})",
        // SQL's three values: NOT of a comparison with NULL stays unknown, on both stores.
        NotCondition n => $"(NOT {Render(n.Operand)})",
        ConstantCondition k => k.Value ? dialect.True : dialect.False,
        CompareCondition { Value: null, Op: Comparison.Equal } c => $"{Col(c.Column)} IS NULL",
        CompareCondition { Value: null, Op: Comparison.NotEqual } c => $"{Col(c.Column)} IS NOT NULL",
        CompareCondition { Value: null } => dialect.False,
        CompareCondition c => Compare(c),
        TextCondition t => dialect.Like(this, t, t.Match switch
        {
            TextMatch.StartsWith => EscapeLike(t.Text) + "%",
            TextMatch.EndsWith => "%" + EscapeLike(t.Text),
            _ => "%" + EscapeLike(t.Text) + "%",
        }),
        _ => throw new ArgumentException("Unknown condition", nameof(condition)),
    };

    private string Compare(CompareCondition c)
    {
        var (column, value) = dialect.Operands(this, c.Column, c.Value!);
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

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>A word of <c>q</c> the text index cannot answer: a scan of the folded cells of every column, or of the one named.</summary>
    public string Scan(int? column, string word)
    {
        var folded = Param(dialect.FoldedWord(Text.TextFolding.FoldWithKana(word)));
        var targets = column is { } one ? [one] : Enumerable.Range(0, columns.Count).ToList();
        return "(" + (targets.Count == 0 ? dialect.False : string.Join(" OR ", targets.Select(i => dialect.ContainsFolded(this, i, folded)))) + ")";
    }

    /// <summary>Conditions as a WHERE clause (with its leading space), or nothing.</summary>
    public static string Where(IReadOnlyList<string> conditions) => conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);

    /// <summary>The statement counting what the search matches, or null when the table's own count is the answer.</summary>
    public string? Count(string table, RowQuery query, IReadOnlyList<string> conditions) =>
        !query.IncludeTotal || (conditions.Count == 0 && !query.Distinct) ? null
            : $"SELECT COUNT(*) FROM (SELECT {(query.Distinct ? "DISTINCT " : "")}{Select(query)} FROM {table}{Where(conditions)}) AS q";

    /// <summary>
    /// The statement reading the page. <paramref name="inIdOrder"/> is a FROM … WHERE and ORDER BY that read a page
    /// in <c>_id</c> order from the store's text index, used when no sort or DISTINCT asks for another order.
    /// </summary>
    public string Page(string table, RowQuery query, IReadOnlyList<string> conditions, (string From, string Order)? inIdOrder = null)
    {
        var select = Select(query);
        var from = $"FROM {table}{Where(conditions)}";
        var order = query.Sort.Count > 0
            ? string.Join(", ", query.Sort.Select(s => Col(s.Column) + dialect.Direction(s.Descending)))
            : query.Distinct ? string.Join(", ", query.Fields.Select(f => Col(f) + dialect.Direction(false))) : "\"_id\"";
        if (inIdOrder is { } index && query.Sort.Count == 0 && !query.Distinct) (from, order) = index;
        var limit = $"LIMIT {Param((long)query.Limit)} OFFSET {Param(query.Offset)}";
        if (query.Distinct && query.Sort.Any(s => !query.Fields.Contains(s.Column))
            && dialect.DistinctSortedByOthers(this, query, select, from, limit) is { } sorted)
            return sorted;
        return $"SELECT {(query.Distinct ? "DISTINCT " : "")}{select} {from} ORDER BY {order} {limit}";
    }

    private static string Select(RowQuery query) => string.Join(", ", query.Fields.Select(Col));
}
