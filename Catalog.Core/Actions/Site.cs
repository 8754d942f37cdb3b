namespace Catalog.Core.Actions;

public static class Site
{
    public static ActionRegistry AddSiteActions(this ActionRegistry r) => r;
}
