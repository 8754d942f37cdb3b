namespace Catalog.Core.Actions;

public static class Tags
{
    public static ActionRegistry AddTagActions(this ActionRegistry r) => r;
}
