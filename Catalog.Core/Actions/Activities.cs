namespace Catalog.Core.Actions;

public static class Activities
{
    public static ActionRegistry AddActivityActions(this ActionRegistry r) => r;
}
