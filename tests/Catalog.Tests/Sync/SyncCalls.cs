using System.Text.Json.Nodes;

namespace Catalog.Tests.Sync;

/// <summary>What the sync tests share: a target's settings, a remote playing BODIK, runs waited for, the remote's contents.</summary>
public static class SyncCalls
{
    public const string Target = "bodik";
    public const string RemoteOrg = "240001";

    /// <summary>A target through <paramref name="url"/>, quick to give up so faults cost little time.</summary>
    public static Dictionary<string, string?> Settings(string url, bool allowPrivate = true, string? include = null)
    {
        var s = new Dictionary<string, string?>
        {
            ["Catalog:Sync:Targets:0:Name"] = Target,
            ["Catalog:Sync:Targets:0:Url"] = url,
            ["Catalog:Sync:Targets:0:ApiToken"] = CatalogHost.SysadminToken,
            ["Catalog:Sync:Targets:0:Organization"] = RemoteOrg,
            ["Catalog:Sync:Targets:0:AllowPrivateAddresses"] = allowPrivate ? "true" : "false",
            ["Catalog:Sync:Targets:0:TimeoutSeconds"] = "1",
            ["Catalog:Sync:Targets:0:Retries"] = "4",
            ["Catalog:Sync:Targets:0:RetryDelayMilliseconds"] = "50",
            ["Catalog:Sync:Targets:0:BreakSeconds"] = "1",
        };
        if (include is not null) s["Catalog:Sync:Targets:0:Include:0"] = include;
        return s;
    }

    /// <summary>A catalog playing BODIK: our own server with the prefecture's organization.</summary>
    public static async Task<CatalogHost> RemoteAsync()
    {
        var remote = new CatalogHost();
        await remote.Sysadmin().CallAsync("organization_create", new { name = RemoteOrg, title = "三重県" });
        return remote;
    }

    /// <summary>Queues a run and waits for it to finish; the finished job as sync_status shows it.</summary>
    public static async Task<JsonObject> RunAsync(CkanClient admin, bool dryRun = false)
    {
        var job = (await admin.CallAsync("sync_run", new { target = Target, dry_run = dryRun }))!.AsObject();
        var id = job["id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var status = (await admin.CallAsync("sync_status", new { target = Target }))!.AsObject();
            var found = status["jobs"]!.AsArray().Select(j => j!.AsObject()).FirstOrDefault(j => j["id"]!.GetValue<string>() == id);
            if (found?["status"]?.GetValue<string>() == "Finished") return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Sync job {id} did not finish");
    }

    public static int Stat(JsonObject job, string key) => job["stats"]![key]!.GetValue<int>();

    /// <summary>Every active dataset of the remote organization, by name (a duplicate name would throw).</summary>
    public static async Task<Dictionary<string, JsonObject>> RemoteDatasetsAsync(CatalogHost remote)
    {
        var result = (await remote.Sysadmin().CallAsync("package_search",
            new { fq = $"organization:{RemoteOrg}", rows = 1000, include_private = true }))!.AsObject();
        var list = result["results"]!.AsArray().Select(d => d!.AsObject()).ToList();
        Assert.That(result["count"]!.GetValue<int>(), Is.EqualTo(list.Count));
        return list.ToDictionary(d => d["name"]!.GetValue<string>());
    }

    public static string Extra(JsonObject dataset, string key) =>
        dataset["extras"]!.AsArray().Select(x => x!.AsObject()).Single(x => x["key"]!.GetValue<string>() == key)["value"]!.GetValue<string>();
}
