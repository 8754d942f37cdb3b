using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Harvester.Fetching;
using Catalog.Sync.Targets;
using Polly;

namespace Catalog.Sync.Remote;

/// <summary>A remote call that failed for good (after the retries), or that the remote refused.</summary>
public sealed class RemoteCkanException(string message, HttpStatusCode? status = null, string? errorType = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status => status;
    /// <summary>CKAN's error __type, such as "Validation Error", when the remote answered with its envelope.</summary>
    public string? ErrorType => errorType;
}

/// <summary>
/// The remote CKAN's Action API, every call through the target's resilience pipeline. Calls are safe to repeat:
/// package_update and package_delete are, and a package_create that the remote already did (its answer lost) is
/// turned into an update by <see cref="PushAsync"/>.
/// </summary>
public sealed class RemoteCkan(HttpClient http, SyncTarget target, ResiliencePipeline<HttpResponseMessage> pipeline)
{
    /// <summary>The remote dataset, or null when the remote has none of that id or name.</summary>
    public async Task<JsonObject?> ShowAsync(string idOrName, CancellationToken ct)
    {
        try
        {
            return (await CallAsync("package_show", new JsonObject { ["id"] = idOrName }, ct))?.AsObject();
        }
        catch (RemoteCkanException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Makes the remote hold the dataset: created when missing, else updated (keeping its resource ids). Returns the remote dict.</summary>
    public async Task<(JsonObject Result, bool Created)> PushAsync(JsonObject dataset, CancellationToken ct)
    {
        var name = dataset["name"]!.GetValue<string>();
        var existing = await ShowAsync(name, ct);
        if (existing is null)
        {
            try
            {
                return ((await CallAsync("package_create", dataset.DeepClone().AsObject(), ct))!.AsObject(), true);
            }
            catch (RemoteCkanException e) when (e.ErrorType == "Validation Error")
            {
                // The name may be taken by our own earlier create whose answer was lost: then it is an update.
                existing = await ShowAsync(name, ct);
                if (existing is null) throw;
            }
        }
        return ((await CallAsync("package_update", WithRemoteIds(dataset, existing), ct))!.AsObject(), false);
    }

    /// <summary>Deletes the remote dataset; one already gone counts as deleted.</summary>
    public async Task DeleteAsync(string idOrName, CancellationToken ct)
    {
        try
        {
            await CallAsync("package_delete", new JsonObject { ["id"] = idOrName }, ct);
        }
        catch (RemoteCkanException e) when (e.Status == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>
    /// The dataset with the remote's id, and its resources with the ids of the remote resources at the same place:
    /// BODIK's users follow resources by id, so an update must not replace them.
    /// </summary>
    private static JsonObject WithRemoteIds(JsonObject dataset, JsonObject existing)
    {
        var update = dataset.DeepClone().AsObject();
        update["id"] = existing["id"]?.GetValue<string>();
        update["state"] = "active";
        var remote = existing["resources"] as JsonArray ?? [];
        if (update["resources"] is JsonArray resources)
            for (var i = 0; i < resources.Count && i < remote.Count; i++)
                if (remote[i]?["id"] is JsonValue id) resources[i]!["id"] = id.GetValue<string>();
        return update;
    }

    private async Task<JsonNode?> CallAsync(string action, JsonObject data, CancellationToken ct)
    {
        var url = new Uri(target.Url, "api/3/action/" + action);
        var body = data.ToJsonString();
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.TryAddWithoutValidation("Authorization", target.ApiToken);
                return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            }, ct);
        }
        catch (HttpRequestException e) when (Refused(e) is { } refused)
        {
            throw new RemoteCkanException($"{action}: {refused.Message}", inner: e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                      or Polly.CircuitBreaker.BrokenCircuitException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new RemoteCkanException($"{action}: {e.Message}", inner: e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonObject? envelope = null;
            try { envelope = JsonNode.Parse(text) as JsonObject; } catch (JsonException) { }
            if (response.IsSuccessStatusCode && envelope?["success"]?.GetValue<bool>() == true) return envelope["result"];
            var error = envelope?["error"] as JsonObject;
            var type = error?["__type"]?.GetValue<string>();
            var detail = error is null ? Truncate(text) : Truncate(error.ToJsonString());
            throw new RemoteCkanException($"{action}: {(int)response.StatusCode} {detail}", response.StatusCode, type);
        }
    }

    private static AddressRefusedException? Refused(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is AddressRefusedException refused) return refused;
        return null;
    }

    private static string Truncate(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
