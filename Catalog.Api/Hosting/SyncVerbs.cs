using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Catalog.Sync.Jobs;

namespace Catalog.Api.Hosting;

/// <summary>
/// <c>sync run {target} [--dry-run]</c>: queues a run through sync_run and runs it now, in this process, with a
/// progress bar, then prints its counts (and, for a dry run, what would be sent).
/// </summary>
public static class SyncVerbs
{
    private const string Usage = "Usage: sync run <target> [--dry-run]";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args is not ["sync", "run", var target, .. var rest] || rest.Any(a => a != "--dry-run"))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().PrepareAsync();
        var actions = app.Services.GetRequiredService<ActionDispatcher>();
        Core.Auth.Caller caller;
        await using (var scope = app.Services.CreateAsyncScope())
            caller = await SiteUser.EnsureAsync(scope.ServiceProvider.GetRequiredService<CatalogDbContext>(), TimeProvider.System);

        var dryRun = rest.Contains("--dry-run");
        JsonObject job;
        try
        {
            job = (await actions.InvokeAsync("sync_run", caller, new JsonObject { ["target"] = target, ["dry_run"] = dryRun }))!.AsObject();
        }
        catch (ActionException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message} {(e as ValidationException)?.Errors.ToJsonString()}");
            return 1;
        }
        var bar = new ProgressBar(Console.Error);
        var runner = app.Services.GetRequiredService<SyncRunner>();
        await runner.RunAsync(job["id"]!.GetValue<string>(), new BarProgress(bar));
        bar.Finish();

        var status = (await actions.InvokeAsync("sync_status", caller, new JsonObject { ["target"] = target, ["limit"] = 1 }))!;
        var done = status["jobs"]![0]!;
        if (dryRun)
            foreach (var line in done["report"]!.AsArray().Where(l => l!["action"]!.GetValue<string>() is not "unchanged"))
                Console.WriteLine($"would {line!["action"]} {line["remote_name"]}");
        Console.WriteLine($"{(dryRun ? "Dry run" : "Run")} of {target}: {done["stats"]!.ToJsonString()}");
        if (done["error"]?.GetValue<string>() is { } error)
        {
            await Console.Error.WriteLineAsync(error);
            return 1;
        }
        return done["stats"]!["failed"]!.GetValue<int>() > 0 ? 1 : 0;
    }

    /// <summary>Draws on the caller's thread: <see cref="Progress{T}"/> would post to the pool and could draw after the bar finished.</summary>
    private sealed class BarProgress(ProgressBar bar) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => bar.Show(value.Done, value.Total);
    }
}
