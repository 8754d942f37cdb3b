namespace Catalog.Core.Actions;

public static class Organizations
{
    public static ActionRegistry AddOrganizationActions(this ActionRegistry r) => r;
}
