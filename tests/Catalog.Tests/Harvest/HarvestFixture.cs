using System.Text.Json.Nodes;
using Catalog.Tests.Infrastructure;

namespace Catalog.Tests.Harvest;

/// <summary>Creating sources and running jobs through the Action API, as an operator would.</summary>
public static class HarvestCalls
{
    /// <summary>Short waits, so the fault tests take seconds.</summary>
    public static readonly Dictionary<string, string?> FastHttp = new()
    {
        ["Catalog:Harvest:RetryDelay"] = "00:00:00.050",
        ["Catalog:Harvest:Timeout"] = "00:00:01",
        ["Catalog:Harvest:BodyTimeout"] = "00:00:02",
        ["Catalog:Harvest:Retries"] = "2",
        ["Catalog:Harvest:MaxRetryAfter"] = "00:00:02",
    };

    /// <summary>samples/sources/sample-site.json pointed at <paramref name="site"/>, without an owner (the seed is not loaded).</summary>
    public static JsonObject SampleSource(TestSite site, string name = "sample-site")
    {
        var source = JsonNode.Parse(File.ReadAllText(Path.Combine(TestSite.RepoRoot(), "samples", "sources", "sample-site.json")))!.AsObject();
        source["name"] = name;
        source["url"] = $"{site.BaseUrl}/index.html";
        source.Remove("owner_org");
        return source;
    }

    public static async Task<string> CreateSourceAsync(CkanClient admin, JsonObject source) =>
        (await admin.CallAsync("harvest_source_create", source))!["id"]!.GetValue<string>();

    /// <summary>Queues a job and waits (generously: the machine may be busy) for the job service to finish it; returns harvest_job_show's answer.</summary>
    public static async Task<JsonObject> RunAsync(CkanClient admin, string sourceId)
    {
        var job = await admin.CallAsync("harvest_job_create", new { source_id = sourceId });
        var id = job!["id"]!.GetValue<string>();
        var until = DateTime.UtcNow.AddSeconds(300);
        while (DateTime.UtcNow < until)
        {
            var shown = (await admin.CallAsync("harvest_job_show", new { id }))!.AsObject();
            if (shown["status"]!.GetValue<string>() is "Finished" or "Aborted") return shown;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Harvest job {id} did not finish");
    }

    public static int Stat(JsonObject job, string key) => job["stats"]![key]!.GetValue<int>();
}
