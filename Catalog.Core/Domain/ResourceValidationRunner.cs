using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Files;
using Catalog.Core.Store;
using Catalog.Core.TableValidation;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>What a resource's file is checked against: its <c>schema</c> field read as a standard id or a Table Schema.</summary>
public sealed record ResourceSchema(string? Stored, TableSchema? Schema, StandardSchema? Standard);

/// <summary>
/// Validates a resource's stored file and keeps the result as its <see cref="ResourceValidation"/>, inside the calling
/// action's transaction (resource_validation_run, an upload to a resource with a schema, resource_table_fix).
/// </summary>
public static class ResourceValidationRunner
{
    private static readonly HashSet<string> TableFormats = new(StringComparer.OrdinalIgnoreCase) { "CSV", "TSV", "TXT" };

    /// <summary>
    /// The resource's <c>schema</c>: absent (general rules only), a standard id (<c>aed</c> …), a Table Schema object or
    /// that object as a JSON string, as ckanext-validation takes it. Anything else is CKAN's Validation Error on <c>schema</c>.
    /// </summary>
    public static ResourceSchema SchemaOf(Resource r)
    {
        var node = JsonNode.Parse(r.ExtrasJson)?["schema"];
        if (node is null || node is JsonValue v && v.TryGetValue<string>(out var empty) && string.IsNullOrWhiteSpace(empty))
            return new ResourceSchema(null, null, null);
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            text = text.Trim();
            if (StandardSchemas.Find(text) is { } standard) return new ResourceSchema(text, standard.Schema, standard);
            if (!text.StartsWith('{'))
                throw ValidationException.For("schema", $"Unknown standard schema \"{Short(text)}\": use one of {string.Join(", ", StandardSchemas.All.Select(s => s.Id))}, or a Table Schema");
            try { node = JsonNode.Parse(text); }
            catch (JsonException) { throw ValidationException.For("schema", "Invalid JSON in schema"); }
        }
        if (node is not JsonObject raw) throw ValidationException.For("schema", "schema must be a standard schema id or a Table Schema object");
        try { return new ResourceSchema(raw.ToJsonString(), TableSchema.Parse(raw), null); }
        catch (FormatException e) { throw ValidationException.For("schema", $"Invalid Table Schema: {e.Message}"); }
    }

    /// <summary>After a file is stored: validated when the resource names a schema; otherwise an old report is dropped.</summary>
    /// <param name="newResource">Created in this unit of work: it has no old report to drop, and the store is not asked.</param>
    public static async Task OnUploadAsync(ActionContext ctx, Resource r, bool newResource = false)
    {
        var schema = SchemaOf(r);
        if (schema.Stored is not null) { await RunAsync(ctx, r); return; }  // the upload's own write records the activity
        if (newResource) return;
        var stale = await ctx.Db.ResourceValidations.FindAsync([r.Id], ctx.CancellationToken);
        if (stale is not null) ctx.Db.ResourceValidations.Remove(stale);
    }

    /// <returns>The validation, and whether the dataset was given the standard's tags (its caller records the activity).</returns>
    public static async Task<(ResourceValidation Record, bool Tagged)> RunAsync(ActionContext ctx, Resource r, string? originalSha256 = null, string? fixes = null)
    {
        var schema = SchemaOf(r);
        var bytes = await ReadFileAsync(ctx, r);
        var record = await ctx.Db.ResourceValidations.FindAsync([r.Id], ctx.CancellationToken);
        if (record is null)
        {
            record = new ResourceValidation { ResourceId = r.Id };
            ctx.Db.ResourceValidations.Add(record);
        }
        record.Created = ctx.Now;
        record.Schema = schema.Stored;
        record.StandardId = schema.Standard?.Id;
        record.BlobSha256 = r.BlobSha256;
        // A fix keeps the file it started from; a plain re-run keeps what an earlier fix kept, while the file is the fixed one.
        if (originalSha256 is not null) { record.OriginalSha256 = originalSha256; record.FixesApplied = fixes; }
        else if (record.BlobSha256 != r.BlobSha256) { record.OriginalSha256 = null; record.FixesApplied = null; }
        if (!TableFormats.Contains(r.Format ?? "") && !(r.Url.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
        {
            record.Status = ResourceValidationStatus.Error;
            record.Report = ErrorReport($"{r.Format}形式のファイルは検証できません。CSVで登録してください。").ToJsonString();
        }
        else
        {
            var report = TableValidator.Validate(bytes, FileTypes.MungeFileName(r.Url.Split('/')[^1]), schema.Schema);
            record.Status = report.Valid ? ResourceValidationStatus.Success : ResourceValidationStatus.Failure;
            record.Report = report.ToJson().ToJsonString();
        }
        record.Finished = ctx.Now;
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        var tagged = record.Status == ResourceValidationStatus.Success && schema.Standard is { } standard && await TagAsync(ctx, r, standard);
        return (record, tagged);
    }

    /// <summary>
    /// A file that passed a standard schema gives its dataset the tags BODIK's API looks for (自治体標準ODS and the
    /// standard's own), through the same writer as package_patch. Tags are only added: a later failure leaves them to staff.
    /// </summary>
    private static async Task<bool> TagAsync(ActionContext ctx, Resource r, StandardSchema standard)
    {
        var p = await PackageLookup.FindAsync(ctx.Db, r.PackageId, ctx.CancellationToken);
        if (p is null) return false;
        var have = p.Tags.Where(t => t.Tag is { VocabularyId: null }).Select(t => t.Tag!.Name).ToHashSet(StringComparer.Ordinal);
        var missing = new[] { StandardSchemas.OdsTag, standard.Tag }.Where(t => !have.Contains(t)).ToList();
        if (missing.Count == 0) return false;
        var merged = await PackageLookup.DictizeAsync(ctx, p);
        merged.Remove("resources");
        var tags = merged["tags"] as JsonArray ?? [];
        merged.Remove("tags");
        foreach (var name in missing) tags.Add(new JsonObject { ["name"] = name });
        merged["tags"] = tags;
        merged["id"] = p.Id;
        var result = Validation.PackageSchemas.Update.Validate(merged);
        if (!result.IsValid) throw new ValidationException(result.Errors);
        await new PackageWriter(ctx).SaveAsync(result.Data, p);
        return true;
    }

    /// <summary>The resource's stored file. Links are never fetched here: validation reads only what the catalog holds.</summary>
    public static async Task<byte[]> ReadFileAsync(ActionContext ctx, Resource r)
    {
        if (r.UrlType != "upload" || r.BlobSha256 is null)
            throw ValidationException.For("url", "Only files uploaded to the catalog can be validated: upload the file first");
        var path = ctx.Get<BlobStore>().PathFor(r.Id, r.BlobSha256);
        if (!File.Exists(path)) throw ValidationException.For("url", "The resource's file is missing from the file store");
        return await File.ReadAllBytesAsync(path, ctx.CancellationToken);
    }

    /// <summary>The resource (active) and its dataset, for the validation actions.</summary>
    public static async Task<(Package Package, Resource Resource)> FindAsync(ActionContext ctx, string resourceId)
    {
        var packageId = await ctx.Db.Resources.Where(r => r.Id == resourceId && r.State == ObjectState.Active)
            .Select(r => r.PackageId).FirstOrDefaultAsync(ctx.CancellationToken) ?? throw new NotFoundException("Resource was not found.");
        var p = await PackageLookup.FindAsync(ctx.Db, packageId, ctx.CancellationToken) ?? throw new NotFoundException("Dataset was not found.");
        return (p, p.Resources.First(r => r.Id == resourceId));
    }

    private static JsonObject ErrorReport(string message) => new()
    {
        ["valid"] = false,
        ["stats"] = new JsonObject { ["errors"] = 1, ["warnings"] = 0, ["tasks"] = 0 },
        ["warnings"] = new JsonArray(),
        ["errors"] = new JsonArray(new JsonObject { ["type"] = "format-error", ["message"] = message, ["rule"] = "file-error", ["severity"] = "error" }),
        ["tasks"] = new JsonArray(),
    };

    private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
