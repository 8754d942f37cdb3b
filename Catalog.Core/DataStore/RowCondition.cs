namespace Catalog.Core.DataStore;

/// <summary>
/// A condition on rows, over column positions and typed values: what OData's <c>$filter</c> is translated into, so
/// each row store renders it in its own dialect with every value a parameter.
/// </summary>
public abstract record RowCondition;

public sealed record AndCondition(RowCondition Left, RowCondition Right) : RowCondition;

public sealed record OrCondition(RowCondition Left, RowCondition Right) : RowCondition;

public sealed record NotCondition(RowCondition Operand) : RowCondition;

public enum Comparison { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

/// <summary>Column compared with a value; a null value means IS NULL (Equal) or IS NOT NULL (NotEqual).</summary>
public sealed record CompareCondition(int Column, Comparison Op, object? Value) : RowCondition;

public enum TextMatch { Contains, StartsWith, EndsWith }

public sealed record TextCondition(int Column, TextMatch Match, string Text, bool IgnoreCase) : RowCondition;

/// <summary>A literal truth value (OData's <c>true</c>/<c>false</c> as a whole filter).</summary>
public sealed record ConstantCondition(bool Value) : RowCondition;
