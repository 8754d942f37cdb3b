using System.Text.RegularExpressions;
using Catalog.Core.DataStore;
using Catalog.Store.Postgres;

namespace Catalog.Tests.DataStore;

/// <summary>
/// The SQL both row stores write for a search (<see cref="RowSql"/> with each store's dialect): what a client wrote
/// (filter values, words of q, OData texts, limits) reaches the statements only as parameters, and every parameter a
/// statement names is bound. The stores run these statements in DataStoreApiTests and ODataRowsTests.
/// </summary>
public sealed class RowSqlTests
{
    private const string Hostile = "x' OR 1=1; DROP TABLE \"_tables\"; --";
    private static readonly RowColumn[] Columns = [new("name", ColumnType.Text), new("count", ColumnType.Int)];

    public static IEnumerable<RowSqlDialect> Dialects => [SqliteRowDialect.Instance, PostgresRowDialect.Instance];

    [TestCaseSource(nameof(Dialects))]
    public void Client_text_reaches_the_statements_only_as_parameters(RowSqlDialect dialect)
    {
        var sql = new RowSql(dialect, Columns);
        var query = new RowQuery
        {
            Fields = [RowColumns.IdColumn, 0],
            Filters = [(0, [Hostile, null]), (1, [Hostile, 3L])],
            Sort = [(1, true)],
            Where = new OrCondition(new TextCondition(0, TextMatch.Contains, Hostile, IgnoreCase: false),
                new NotCondition(new CompareCondition(1, Comparison.Less, Hostile))),
            Distinct = true,
            Limit = 10,
            Offset = 5,
        };
        var where = sql.Filters(query.Filters);
        where.Add(sql.Scan(null, Hostile));
        where.Add(sql.Render(query.Where!));
        string[] statements = [sql.Count("\"t\"", query, where)!, sql.Page("\"t\"", query, where)];

        var names = sql.Parameters.Select(p => p.Name).ToList();
        Assert.That(names, Is.Unique);
        foreach (var statement in statements)
        {
            Assert.That(statement, Does.Not.Contain("drop").IgnoreCase.And.Not.Contain("1=1").And.Not.Contain("x'"));
            foreach (Match m in Regex.Matches(statement, @"[$@]q\d+")) Assert.That(names, Does.Contain(m.Value));
        }
        Assert.That(sql.Parameters.Select(p => p.Value), Does.Contain(Hostile).And.Contain(10L).And.Contain(5L));
    }

    [TestCaseSource(nameof(Dialects))]
    public void A_search_without_conditions_is_counted_by_the_table_and_read_in_id_order(RowSqlDialect dialect)
    {
        var sql = new RowSql(dialect, Columns);
        var query = new RowQuery { Fields = [RowColumns.IdColumn, 0, 1], Limit = 2 };

        Assert.That(sql.Count("\"t\"", query, []), Is.Null);
        Assert.That(sql.Page("\"t\"", query, []), Does.StartWith("SELECT \"_id\", \"c0\", \"c1\" FROM \"t\" ORDER BY \"_id\" LIMIT "));
    }
}
