namespace Catalog.Core.Actions;

public static class Tokens
{
    public static ActionRegistry AddTokenActions(this ActionRegistry r) => r;
}
