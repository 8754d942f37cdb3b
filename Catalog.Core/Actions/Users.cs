namespace Catalog.Core.Actions;

public static class Users
{
    public static ActionRegistry AddUserActions(this ActionRegistry r) => r;
}
