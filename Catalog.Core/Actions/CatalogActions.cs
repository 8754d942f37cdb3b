using Catalog.Core.Dispatch;

namespace Catalog.Core.Actions;

/// <summary>Every action of the core catalog, family by family (search adds its own from Catalog.Indexer).</summary>
public static class CatalogActions
{
    public static ActionRegistry CreateRegistry() => new ActionRegistry()
        .AddPackageActions()
        .AddPackageReviseAction()
        .AddResourceActions()
        .AddResourceViewActions()
        .AddResourceValidationActions()
        .AddOrganizationActions()
        .AddGroupActions()
        .AddMemberActions()
        .AddUserActions()
        .AddTokenActions()
        .AddTagActions()
        .AddVocabularyActions()
        .AddSiteActions()
        .AddConfigOptionActions()
        .AddCollaboratorActions()
        .AddJobActions()
        .AddPackageResourceReorderAction()
        .AddRefusedActions()
        .AddSchemingActions()
        .AddActivityActions()
        .AddFollowerActions();
}
