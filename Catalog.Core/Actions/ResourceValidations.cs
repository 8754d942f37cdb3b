using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;

namespace Catalog.Core.Actions;

/// <summary>
/// resource_validation_* (ckanext-validation's actions) and resource_table_fix: checking a resource's file against the
/// machine-readability rules and its schema (a 自治体標準オープンデータセット or a Table Schema), and repairing it.
/// </summary>
public static class ResourceValidations
{
    public static ActionRegistry AddResourceValidationActions(this ActionRegistry r) => r
        .Write("resource_validation_run", PackageAuth.ResourceValidate, Run,
            "Validate a resource's uploaded file against the machine-readability rules and the resource's schema\n(a standard schema id such as \"aed\", or a Table Schema). Returns the validation.\n\n:param resource_id: the resource")
        .Read("resource_validation_show", AuthRules.Anyone, Show,
            "Return the last validation of a resource: {resource_id, status: success|failure|error, report, created,\nfinished, schema}; the report in Frictionless's shape.\n\n:param resource_id: the resource")
        .Write("resource_validation_delete", PackageAuth.ResourceValidate, Delete,
            "Delete the validation of a resource.\n\n:param resource_id: the resource");

    private static async Task<JsonNode?> Run(ActionContext ctx, JsonObject d)
    {
        var (_, r) = await ResourceValidationRunner.FindAsync(ctx, DataDict.Require(d, "resource_id"));
        return ResourceValidationDictizer.Dictize(await ResourceValidationRunner.RunAsync(ctx, r));
    }

    private static async Task<JsonNode?> Show(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "resource_id");
        var (p, _) = await ResourceValidationRunner.FindAsync(ctx, id);
        await PackageLookup.ReadableAsync(ctx, p.Id, asked: $"resource {id}");
        var v = await ctx.Db.ResourceValidations.FindAsync([id], ctx.CancellationToken)
            ?? throw new NotFoundException("No validation report exists for this resource");
        return ResourceValidationDictizer.Dictize(v);
    }

    private static async Task<JsonNode?> Delete(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "resource_id");
        var v = await ctx.Db.ResourceValidations.FindAsync([id], ctx.CancellationToken)
            ?? throw new NotFoundException("No validation report exists for this resource");
        ctx.Db.ResourceValidations.Remove(v);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return null;
    }
}
