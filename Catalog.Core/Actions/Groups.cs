namespace Catalog.Core.Actions;

public static class Groups
{
    public static ActionRegistry AddGroupActions(this ActionRegistry r) => r;
}
