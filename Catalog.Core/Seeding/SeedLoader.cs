using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catalog.Core.Seeding;

/// <summary>
/// Fills a new catalog from <c>samples/seed</c> (groups, organizations, datasets with their CSV files) through the
/// actions, as the site user. Each object is skipped when its name exists, so an interrupted seed resumes.
/// </summary>
public sealed class SeedLoader(ActionDispatcher actions, IServiceScopeFactory scopes, IOptions<CatalogOptions> options, TimeProvider clock)
{
    private const string Marker = ".seeded";

    public static string? FindDefaultSeedDir(string start)
    {
        foreach (var root in new[] { start, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "seed");
                if (File.Exists(Path.Combine(candidate, "datasets.json"))) return candidate;
            }
        }
        return null;
    }

    public async Task LoadIfEmptyAsync(string? seedDir, ILogger logger, CancellationToken ct = default)
    {
        var marker = Path.Combine(Path.GetFullPath(options.Value.DataDir), Marker);
        if (File.Exists(marker)) return;
        if (seedDir is null || !Directory.Exists(seedDir))
        {
            logger.LogWarning("No seed folder found (samples/seed); starting with an empty catalog");
            return;
        }

        var caller = await scopes.WithDbAsync(db => SiteUser.EnsureAsync(db, clock, ct));
        var counts = new Dictionary<string, int>();
        foreach (var (file, action) in new[] { ("groups.json", "group_create"), ("organizations.json", "organization_create") })
        {
            foreach (var item in ReadArray(Path.Combine(seedDir, file)))
            {
                var name = item["name"]!.GetValue<string>();
                if (await scopes.WithDbAsync(db => db.Groups.AnyAsync(g => g.Name == name, ct))) continue;
                await actions.InvokeAsync(action, caller, item, ct: ct);
                counts[action] = counts.GetValueOrDefault(action) + 1;
            }
        }

        var datasets = ReadArray(Path.Combine(seedDir, "datasets.json")).ToList();
        var done = 0;
        foreach (var dataset in datasets)
        {
            var name = dataset["name"]!.GetValue<string>();
            done++;
            if (await scopes.WithDbAsync(db => db.Packages.AnyAsync(p => p.Name == name, ct))) continue;
            var resources = dataset["resources"] as JsonArray ?? [];
            dataset.Remove("resources");
            var created = await actions.InvokeAsync("package_create", caller, dataset, ct: ct);
            var packageId = created!["id"]!.GetValue<string>();
            foreach (var resource in resources.OfType<JsonObject>())
                await CreateResourceAsync(seedDir, caller, packageId, resource, ct);
            if (done % 10 == 0) logger.LogInformation("Seeding datasets: {Done}/{Total}", done, datasets.Count);
        }

        await File.WriteAllTextAsync(marker, $"seeded from {seedDir}\n", ct);
        logger.LogInformation("Seeded the catalog: {Groups} groups, {Orgs} organizations, {Datasets} datasets",
            counts.GetValueOrDefault("group_create"), counts.GetValueOrDefault("organization_create"), datasets.Count);
    }

    private async Task CreateResourceAsync(string seedDir, Auth.Caller caller, string packageId, JsonObject resource, CancellationToken ct)
    {
        var data = resource.DeepClone().AsObject();
        data["package_id"] = packageId;
        Dictionary<string, UploadedFile>? files = null;
        if (data["file"]?.GetValue<string>() is { } relative)
        {
            data.Remove("file");
            var path = Path.GetFullPath(Path.Combine(seedDir, relative));
            files = new() { ["upload"] = new UploadedFile(Path.GetFileName(path), null, () => File.OpenRead(path)) };
        }
        await actions.InvokeAsync("resource_create", caller, data, files, ct);
    }

    private static IEnumerable<JsonObject> ReadArray(string path) =>
        File.Exists(path) && JsonNode.Parse(File.ReadAllText(path)) is JsonArray array ? array.OfType<JsonObject>() : [];
}
