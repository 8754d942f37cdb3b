using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Catalog.Core.Dispatch;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Catalog.Harvester.Jobs;

namespace Catalog.Api.Hosting;

/// <summary>
/// <c>harvest sources</c> lists the sources; <c>harvest run {name|id|file.json}</c> runs one now, in this process,
/// printing its progress and report (a file from samples/sources creates or updates its source first).
/// </summary>
public static class HarvestVerbs
{
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().PrepareAsync();
        var actions = app.Services.GetRequiredService<ActionDispatcher>();
        Core.Auth.Caller caller;
        await using (var scope = app.Services.CreateAsyncScope())
            caller = await SiteUser.EnsureAsync(scope.ServiceProvider.GetRequiredService<CatalogDbContext>(), TimeProvider.System);

        switch (args.ElementAtOrDefault(1))
        {
            case "sources":
                var sources = (JsonArray)(await actions.InvokeAsync("harvest_source_list", caller, []))!;
                if (sources.Count == 0) Console.WriteLine("No harvest sources. Add one: harvest run samples/sources/sample-site.json");
                foreach (var s in sources.OfType<JsonObject>())
                {
                    var last = s["status"]?["last_job"];
                    Console.WriteLine($"{s["name"],-30} {s["frequency"],-8} {s["url"]}");
                    if (last is not null) Console.WriteLine($"    last job {last["status"]} {last["finished"] ?? last["created"]}: {last["stats"]?.ToJsonString()}");
                }
                return 0;
            case "run" when args.Length >= 3:
                return await RunSourceAsync(app, actions, caller, args[2]);
            default:
                await Console.Error.WriteLineAsync("Usage: harvest sources | harvest run {source name, id or samples/sources/*.json}");
                return 2;
        }
    }

    /// <summary>The path as given, or under a parent folder: <c>dotnet run</c> may start in the project's folder.</summary>
    private static string? FindFile(string path)
    {
        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return null;
        if (File.Exists(path) || Path.IsPathRooted(path)) return File.Exists(path) ? path : null;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, path))) return Path.Combine(dir.FullName, path);
        return null;
    }

    private static async Task<int> RunSourceAsync(WebApplication app, ActionDispatcher actions, Core.Auth.Caller caller, string which)
    {
        try
        {
            var sourceId = which;
            if (FindFile(which) is { } file)
            {
                which = file;
                var definition = JsonNode.Parse(await File.ReadAllTextAsync(which))!.AsObject();
                var name = definition["name"]!.GetValue<string>();
                JsonNode? existing = null;
                try { existing = await actions.InvokeAsync("harvest_source_show", caller, new JsonObject { ["id"] = name }); }
                catch (NotFoundException) { }
                if (existing is not null) definition["id"] = existing["id"]!.GetValue<string>();
                var saved = await actions.InvokeAsync(existing is null ? "harvest_source_create" : "harvest_source_update", caller, definition);
                sourceId = saved!["id"]!.GetValue<string>();
                Console.WriteLine($"{(existing is null ? "Created" : "Updated")} source {name} from {which}");
            }
            var job = await actions.InvokeAsync("harvest_job_create", caller, new JsonObject { ["source_id"] = sourceId });
            var jobId = job!["id"]!.GetValue<string>();
            await app.Services.GetRequiredService<HarvestRunner>().RunAsync(jobId, line => Console.WriteLine(line));
            var report = (JsonObject)(await actions.InvokeAsync("harvest_job_show", caller, new JsonObject { ["id"] = jobId }))!;
            Console.WriteLine($"Job {jobId}: {report["status"]} {report["stats"]!.ToJsonString()}");
            foreach (var e in report["gather_errors"]!.AsArray()) Console.WriteLine($"  gather error: {e!["message"]}");
            foreach (var o in report["object_errors"]!.AsArray())
                foreach (var e in o!["errors"]!.AsArray())
                    Console.WriteLine($"  {o["guid"]}: [{e!["stage"]}] {e["message"]}");
            return report["gather_errors"]!.AsArray().Count == 0 ? 0 : 1;
        }
        catch (ActionException e)
        {
            await Console.Error.WriteLineAsync(e is ValidationException v ? $"{e.Message}: {v.Errors.ToJsonString()}" : e.Message);
            return 1;
        }
    }
}
