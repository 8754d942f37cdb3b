using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;

namespace Catalog.Core.Actions;

/// <summary>
/// CKAN actions for features this catalog does not have: served so that a CKAN client gets a clear answer naming why
/// (a Validation Error with a message, as CKAN answers for a feature turned off) instead of "action not known".
/// </summary>
public static class Refusals
{
    /// <summary>The start of a refused action's help: docs/ckan-compatibility.md lists these as refused.</summary>
    public const string HelpPrefix = "Not available here: ";

    private const string TaskStatus =
        "task_status is CKAN's table for extensions' per-object task state; no extension here writes it. Background work is listed by job_list, harvests by harvest_job_show, DataStore loads by datastore_info.";
    private const string TermTranslation =
        "term_translation is CKAN's table of translated tag and field values for the old multilingual extension; here Japanese and English are in the dataset's own fields (scheming's fluent fields).";
    private const string Relationship =
        "package relationships (CKAN's deprecated package_relationship table) are not kept; link datasets through groups, tags or extras.";

    public static ActionRegistry AddRefusedActions(this ActionRegistry r)
    {
        foreach (var name in new[] { "task_status_show" })
            r.Read(name, RefuseAll(TaskStatus), Refuse(TaskStatus), HelpPrefix + TaskStatus);
        foreach (var name in new[] { "task_status_update", "task_status_update_many", "task_status_delete" })
            r.Write(name, RefuseAll(TaskStatus), Refuse(TaskStatus), HelpPrefix + TaskStatus);
        r.Read("term_translation_show", RefuseAll(TermTranslation), Refuse(TermTranslation), HelpPrefix + TermTranslation);
        foreach (var name in new[] { "term_translation_update", "term_translation_update_many" })
            r.Write(name, RefuseAll(TermTranslation), Refuse(TermTranslation), HelpPrefix + TermTranslation);
        r.Read("package_relationships_list", RefuseAll(Relationship), Refuse(Relationship), HelpPrefix + Relationship);
        foreach (var name in new[] { "package_relationship_create", "package_relationship_update", "package_relationship_delete" })
            r.Write(name, RefuseAll(Relationship), Refuse(Relationship), HelpPrefix + Relationship);
        return r;
    }

    /// <summary>Refused before anything else, to every caller alike: there is nothing to authorize.</summary>
    private static AuthRule RefuseAll(string why) => (ctx, d) =>
        throw new ValidationException(new JsonObject { ["message"] = HelpPrefix + why });

    private static ActionHandler Refuse(string why) => (ctx, d) =>
        throw new ValidationException(new JsonObject { ["message"] = HelpPrefix + why });
}
