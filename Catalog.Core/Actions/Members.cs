namespace Catalog.Core.Actions;

public static class Members
{
    public static ActionRegistry AddMemberActions(this ActionRegistry r) => r;
}
