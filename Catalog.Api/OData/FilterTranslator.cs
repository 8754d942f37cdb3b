using System.Globalization;
using Catalog.Core.DataStore;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Catalog.Api.OData;

/// <summary>
/// Turns a parsed <c>$filter</c> into a <see cref="RowCondition"/>: comparisons of a property with a literal,
/// and/or/not, <c>in</c>, and contains/startswith/endswith (optionally over tolower/toupper). Anything else is
/// refused as not supported, with OData's 400.
/// </summary>
public sealed class FilterTranslator(RowsModel model)
{
    public RowCondition Translate(SingleValueNode node) => node switch
    {
        ConvertNode c => Translate(c.Source),
        ConstantNode { Value: bool b } => new ConstantCondition(b),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And } b => new AndCondition(Translate(b.Left), Translate(b.Right)),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Or } b => new OrCondition(Translate(b.Left), Translate(b.Right)),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } u => new NotCondition(Translate(u.Operand)),
        BinaryOperatorNode b => Compare(b),
        SingleValuePropertyAccessNode p when Column(p) is var column && Type(column) == ColumnType.Bool =>
            new CompareCondition(column, Comparison.Equal, 1L),
        InNode i => In(i),
        SingleValueFunctionCallNode f => Function(f),
        _ => throw NotSupported(node.Kind.ToString()),
    };

    private static ODataException NotSupported(string what) => new($"The filter uses {what}, which is not supported here.");

    private int Column(SingleValuePropertyAccessNode p) =>
        model.Columns.TryGetValue(p.Property.Name, out var c) ? c : throw new ODataException($"Unknown property {p.Property.Name}.");

    private ColumnType Type(int column) => column == RowColumns.IdColumn ? ColumnType.Int : model.Table.Columns[column].Type;

    private static SingleValueNode Strip(SingleValueNode n) => n is ConvertNode c ? Strip(c.Source) : n;

    private RowCondition Compare(BinaryOperatorNode b)
    {
        var op = b.OperatorKind switch
        {
            BinaryOperatorKind.Equal => Comparison.Equal,
            BinaryOperatorKind.NotEqual => Comparison.NotEqual,
            BinaryOperatorKind.LessThan => Comparison.Less,
            BinaryOperatorKind.LessThanOrEqual => Comparison.LessOrEqual,
            BinaryOperatorKind.GreaterThan => Comparison.Greater,
            BinaryOperatorKind.GreaterThanOrEqual => Comparison.GreaterOrEqual,
            var other => throw NotSupported($"the operator {other}"),
        };
        var (left, right) = (Strip(b.Left), Strip(b.Right));
        if (left is ConstantNode && right is SingleValuePropertyAccessNode)
        {
            (left, right) = (right, left);
            op = op switch
            {
                Comparison.Less => Comparison.Greater,
                Comparison.LessOrEqual => Comparison.GreaterOrEqual,
                Comparison.Greater => Comparison.Less,
                Comparison.GreaterOrEqual => Comparison.LessOrEqual,
                _ => op,
            };
        }
        if (left is not SingleValuePropertyAccessNode property || right is not ConstantNode constant)
            throw NotSupported("a comparison other than of a property with a literal");
        var column = Column(property);
        return new CompareCondition(column, op, Value(constant.Value, Type(column)));
    }

    private RowCondition In(InNode i)
    {
        if (Strip(i.Left) is not SingleValuePropertyAccessNode property || i.Right is not CollectionConstantNode list)
            throw NotSupported("in over anything but a property and a list of literals");
        var column = Column(property);
        RowCondition? result = null;
        foreach (var item in list.Collection)
        {
            var one = new CompareCondition(column, Comparison.Equal, Value(item.Value, Type(column)));
            result = result is null ? one : new OrCondition(result, one);
        }
        return result ?? new ConstantCondition(false);
    }

    private RowCondition Function(SingleValueFunctionCallNode f)
    {
        var match = f.Name switch
        {
            "contains" => TextMatch.Contains,
            "startswith" => TextMatch.StartsWith,
            "endswith" => TextMatch.EndsWith,
            _ => throw NotSupported($"the function {f.Name}"),
        };
        var args = f.Parameters.Cast<SingleValueNode>().Select(Strip).ToList();
        if (args.Count != 2 || args[1] is not ConstantNode { Value: string text })
            throw NotSupported($"{f.Name} over anything but a property and a text literal");
        var ignoreCase = false;
        var target = args[0];
        if (target is SingleValueFunctionCallNode { Name: "tolower" or "toupper" } fold)
        {
            ignoreCase = true;
            text = fold.Name == "tolower" ? text.ToLowerInvariant() : text.ToUpperInvariant();
            target = fold.Parameters.Cast<SingleValueNode>().Select(Strip).Single();
            // SQLite folds ASCII only; upper-case patterns are matched lowered.
            text = text.ToLowerInvariant();
        }
        if (target is not SingleValuePropertyAccessNode property) throw NotSupported($"{f.Name} over anything but a property");
        return new TextCondition(Column(property), match, text, ignoreCase);
    }

    /// <summary>A literal as the row store holds values of the column's type.</summary>
    public static object? Value(object? literal, ColumnType type) => literal switch
    {
        null => null,
        bool b => b ? 1L : 0L,
        long or int or short or byte or sbyte => Convert.ToInt64(literal, CultureInfo.InvariantCulture),
        decimal m when type == ColumnType.Int && decimal.Truncate(m) == m && Math.Abs(m) < long.MaxValue => (long)m,
        decimal m => (double)m,
        double d => d,
        float s => (double)s,
        Date d => d.ToString(),
        DateTimeOffset t when type == ColumnType.Date => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        string s => s,
        _ => throw NotSupported($"a literal of type {literal.GetType().Name}"),
    };
}
