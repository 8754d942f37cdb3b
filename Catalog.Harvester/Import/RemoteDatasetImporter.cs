using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Catalog.Harvester.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Harvester.Import;

/// <summary>
/// The import stage of a <c>ckan</c> source: a remote dataset dict mapped to ours, keeping its id, name and resource
/// ids, and written with package_create or package_update as the site user. Only what CKAN's create accepts is
/// copied: the remote's server-kept fields (revision, counts, states, datastore flags) are its own.
/// </summary>
public sealed class RemoteDatasetImporter(ActionDispatcher actions, CatalogImporter common, IServiceScopeFactory scopes)
{
    private static readonly string[] DatasetKeys =
        ["name", "title", "notes", "url", "version", "author", "author_email", "maintainer", "maintainer_email", "license_id"];

    private static readonly string[] ResourceKeys =
        ["id", "name", "description", "url", "format", "mimetype", "mimetype_inner", "size", "hash", "encoding", "resource_type"];

    public async Task<ImportOutcome> ImportAsync(HarvestSource source, HarvestConfig config, Caller caller, Uri baseUrl,
        JsonObject remote, string objectId, CancellationToken ct)
    {
        var guid = remote["id"]!.GetValue<string>();
        var pageUrl = CkanSource.DatasetUrl(baseUrl, remote);
        try
        {
            var dataset = await MapAsync(source, config, caller, baseUrl, remote, ct);
            var fingerprint = DatasetBuilder.Fingerprint(dataset);
            var (exists, active, lastFingerprint) = await scopes.WithDbAsync(async db =>
            {
                var state = await db.Packages.Where(p => p.Id == guid).Select(p => p.State).FirstOrDefaultAsync(ct);
                var last = await db.HarvestObjects
                    .Where(o => o.SourceId == source.Id && o.Guid == guid && o.PackageId == guid && o.ContentHash != null)
                    .OrderByDescending(o => o.Created).Select(o => o.ContentHash).FirstOrDefaultAsync(ct);
                return (state is not null, state == ObjectState.Active, last);
            });
            if (active && lastFingerprint == fingerprint) return new ImportOutcome("unchanged", guid, fingerprint, []);

            ((JsonArray)dataset["extras"]!).Add(new JsonObject { ["key"] = "harvest_object_id", ["value"] = objectId });
            if (exists)
            {
                dataset["state"] = ObjectState.Active;
                await actions.InvokeAsync("package_update", caller, dataset, ct: ct);
            }
            else
            {
                await actions.InvokeAsync("package_create", caller, dataset, ct: ct);
            }
            return new ImportOutcome(exists && active ? "updated" : "added", guid, fingerprint, []);
        }
        catch (ActionException e)
        {
            var detail = e is ValidationException v ? $"{e.Message}: {v.Errors.ToJsonString()}" : e.Message;
            return new ImportOutcome("errored", null, null, [new ObjectError("import", detail, pageUrl)]);
        }
    }

    private async Task<JsonObject> MapAsync(HarvestSource source, HarvestConfig config, Caller caller, Uri baseUrl, JsonObject remote,
        CancellationToken ct)
    {
        var d = new JsonObject { ["id"] = remote["id"]!.GetValue<string>(), ["private"] = false };
        foreach (var key in DatasetKeys)
            if (remote[key] is JsonValue v) d[key] = v.DeepClone();

        string? owner = source.OwnerOrg;
        if (remote["organization"] is JsonObject org && org["name"]?.GetValue<string>() is { } orgName)
        {
            owner = config.OrganizationMap.GetValueOrDefault(orgName, orgName);
            await common.EnsureGroupAsync(caller, owner, org["title"]?.GetValue<string>() is { Length: > 0 } t ? t : orgName, organization: true, ct);
        }
        if (owner is not null) d["owner_org"] = owner;

        var groups = new JsonArray();
        foreach (var g in (remote["groups"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (g["name"]?.GetValue<string>() is not { } remoteName) continue;
            var name = config.GroupMap.GetValueOrDefault(remoteName, remoteName);
            await common.EnsureGroupAsync(caller, name, g["title"]?.GetValue<string>() is { Length: > 0 } t ? t : remoteName, organization: false, ct);
            groups.Add(new JsonObject { ["name"] = name });
        }
        d["groups"] = groups;

        d["tags"] = new JsonArray((remote["tags"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(t => t["name"] is JsonValue).Select(t => (JsonNode?)new JsonObject { ["name"] = t["name"]!.DeepClone() }).ToArray());

        // The remote's own harvest bookkeeping is not ours; ours is written fresh.
        var extras = new JsonArray();
        foreach (var e in (remote["extras"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = e["key"]?.GetValue<string>();
            if (key is null || key.StartsWith("harvest_", StringComparison.Ordinal) || key == "source_url") continue;
            extras.Add(new JsonObject { ["key"] = key, ["value"] = e["value"]?.DeepClone() });
        }
        extras.Add(new JsonObject { ["key"] = "harvest_source_id", ["value"] = source.Id });
        extras.Add(new JsonObject { ["key"] = "source_url", ["value"] = CkanSource.DatasetUrl(baseUrl, remote) });
        d["extras"] = extras;

        var resources = new JsonArray();
        foreach (var r in (remote["resources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var copy = new JsonObject();
            foreach (var key in ResourceKeys)
                if (r[key] is JsonValue v) copy[key] = v.DeepClone();
            resources.Add(copy);
        }
        d["resources"] = resources;
        return d;
    }

}
