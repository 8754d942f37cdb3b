using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.TableValidation;

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
            "Delete the validation of a resource.\n\n:param resource_id: the resource")
        .Write("resource_table_fix", PackageAuth.ResourceValidate, Fix,
            "List the mechanical fixes available for a resource's CSV file (with Japanese and English labels), preview them\nor apply them. Applying saves the fixed file as the resource's new file (the uploaded one is kept, its SHA-256\nrecorded in the activity and the validation) and validates it again.\n\n:param resource_id: the resource\n:param fixes: (optional) the fix ids to apply: " + string.Join(", ", TableFixes.All.Select(f => f.Id)) + "\n:param dry_run: (optional, default true) only show the first rows before and after");

    private static async Task<JsonNode?> Run(ActionContext ctx, JsonObject d)
    {
        var (p, r) = await ResourceValidationRunner.FindAsync(ctx, DataDict.Require(d, "resource_id"));
        var (record, tagged) = await ResourceValidationRunner.RunAsync(ctx, r);
        if (tagged) await ActivityLog.RecordPackageAsync(ctx, p, "changed package");
        return ResourceValidationDictizer.Dictize(record);
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

    private const int PreviewRows = 20;

    private static async Task<JsonNode?> Fix(ActionContext ctx, JsonObject d)
    {
        var (p, r) = await ResourceValidationRunner.FindAsync(ctx, DataDict.Require(d, "resource_id"));
        var wanted = DataDict.StringList(d, "fixes") ?? [];
        var unknown = wanted.Where(f => TableFixes.Find(f) is null).ToList();
        if (unknown.Count > 0)
            throw ValidationException.For("fixes", $"Unknown fix \"{unknown[0]}\": use {string.Join(", ", TableFixes.All.Select(f => f.Id))}");
        var dryRun = DataDict.Bool(d, "dry_run", true);
        var schema = ResourceValidationRunner.SchemaOf(r);
        var bytes = await ResourceValidationRunner.ReadFileAsync(ctx, r);
        var before = TableValidator.Validate(bytes, "file.csv", schema.Schema);
        var result = new JsonObject
        {
            ["resource_id"] = r.Id,
            ["available"] = Available(before),
            ["fixes"] = new JsonArray(wanted.Distinct().Select(f => (JsonNode?)f).ToArray()),
            ["dry_run"] = dryRun,
        };
        if (wanted.Count == 0)
        {
            if (!dryRun) throw ValidationException.For("fixes", "Name the fixes to apply");
            return result;
        }
        var fixedTable = TableFixer.Apply(bytes, schema.Schema, wanted.ToHashSet());
        result["cells_changed"] = fixedTable.CellsChanged;
        result["rows_removed"] = fixedTable.RowsRemoved;
        if (dryRun)
        {
            result["before"] = Preview(fixedTable.Before);
            result["after"] = Preview(fixedTable.After);
            result["validation"] = TableValidator.Validate(fixedTable.Bytes, "file.csv", schema.Schema).ToJson();
            return result;
        }

        // The fixed file goes in as an upload would, through the resource writer; the uploaded one stays beside it.
        var original = r.BlobSha256!;
        var fileName = Uri.UnescapeDataString(r.Url.Split('/')[^1]);
        await ResourceWriter.AttachUploadAsync(ctx, r, new UploadedFile(fileName, "text/csv", () => new MemoryStream(fixedTable.Bytes)), keepSha256: original);
        r.MetadataModified = ctx.Now;
        var (validation, _) = await ResourceValidationRunner.RunAsync(ctx, r, originalSha256: original, fixes: string.Join(",", wanted.Distinct()));
        p.MetadataModified = ctx.Now;
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        await ActivityLog.RecordPackageAsync(ctx, p, "changed package", new JsonObject
        {
            ["table_fix"] = new JsonObject
            {
                ["resource_id"] = r.Id,
                ["fixes"] = new JsonArray(wanted.Distinct().Select(f => (JsonNode?)f).ToArray()),
                ["original_sha256"] = original,
                ["fixed_sha256"] = r.BlobSha256,
            },
        });
        result["resource"] = ResourceDictizer.Dictize(r, ctx.Get<SiteUrls>());
        result["validation"] = ResourceValidationDictizer.Dictize(validation);
        return result;
    }

    /// <summary>Every fix with its labels, and how many findings of the current file it would repair.</summary>
    private static JsonArray Available(TableReport report) => new(TableFixes.All.Select(f => (JsonNode?)new JsonObject
    {
        ["id"] = f.Id,
        ["label_ja"] = f.LabelJa,
        ["label_en"] = f.LabelEn,
        ["findings"] = report.Findings.Count(x => x.Rule.Fix == f.Id),
    }).ToArray());

    private static JsonArray Preview(IReadOnlyList<CsvRecord> records) => new(records.Take(PreviewRows).Select(r => (JsonNode?)new JsonObject
    {
        ["rowNumber"] = r.RowNumber,
        ["cells"] = new JsonArray(r.Cells.Select(c => (JsonNode?)c).ToArray()),
    }).ToArray());
}
