using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>
/// A dataset whose files failed validation (errors; warnings do not count) is not made public — by package_update,
/// package_patch or bulk_update_public — unless a sysadmin passes <c>validation_override: true</c>, which the activity
/// records.
/// </summary>
public static class PublishingGate
{
    public const string OverrideKey = "validation_override";

    /// <summary>Whether the dataset was hidden from the public (private or not active) before this write.</summary>
    public static bool IsHidden(Package p) => p.Private || p.State != ObjectState.Active;

    /// <summary>
    /// Called when a write makes <paramref name="p"/> public. Throws CKAN's Validation Error naming the failing files, or
    /// returns what the activity records of an override (null when nothing failed).
    /// </summary>
    public static async Task<JsonObject?> CheckAsync(ActionContext ctx, Package p, JsonObject d)
    {
        var failing = await ctx.Db.ResourceValidations.AsNoTracking()
            .Where(v => v.Status == ResourceValidationStatus.Failure)
            .Join(ctx.Db.Resources.Where(r => r.PackageId == p.Id && r.State == ObjectState.Active), v => v.ResourceId, r => r.Id,
                (v, r) => new { r.Id, r.Name, r.Url })
            .ToListAsync(ctx.CancellationToken);
        if (failing.Count == 0) return null;
        var files = failing.Select(f => Uri.UnescapeDataString(f.Url.Split('/')[^1]) is { Length: > 0 } file ? file : f.Name ?? f.Id).ToList();
        if (!DataDict.Bool(d, OverrideKey, false))
            throw ValidationException.For("resources",
                $"File {string.Join(", ", files.Select(f => $"\"{f}\""))} failed validation: fix the errors before making the dataset public "
                + $"（検証エラーのあるファイル「{string.Join("」「", files)}」を直すまで公開できません）");
        if (!ctx.Caller.IsSysadmin) throw AuthRules.Denied(ctx, "override validation errors");
        return new JsonObject
        {
            [OverrideKey] = new JsonObject
            {
                ["by"] = ctx.Caller.UserName,
                ["resources"] = new JsonArray(failing.Select(f => (JsonNode?)f.Id).ToArray()),
                ["files"] = new JsonArray(files.Select(f => (JsonNode?)f).ToArray()),
            },
        };
    }
}
