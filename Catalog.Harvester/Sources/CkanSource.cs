using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Harvester.Fetching;

namespace Catalog.Harvester.Sources;

/// <summary>What a <c>ckan</c> source's gather found: the remote datasets, and whether they are all of them.</summary>
public sealed record CkanGather(IReadOnlyList<JsonObject> Datasets, bool Complete);

/// <summary>
/// The gather stage of a <c>ckan</c> source: pages the remote's package_search (rows=100&amp;start=N&amp;sort=id asc),
/// filtered by the config's organizations and, after a clean run, by metadata_modified since that run started.
/// Sorting by id keeps the pages stable while the remote changes under the crawl.
/// </summary>
public sealed class CkanSource(HarvestFetcher fetcher)
{
    public const int PageSize = 100;

    /// <param name="since">Start of the last clean run: only datasets modified since then are asked for.</param>
    public async Task<CkanGather> GatherAsync(Uri baseUrl, HarvestConfig config, DateTime? since, Action<string>? progress, CancellationToken ct)
    {
        var fq = FilterQuery(config, since);
        var found = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 0; start < config.MaxPages * PageSize; start += PageSize)
        {
            var url = SearchUrl(baseUrl, fq, start);
            var result = await ReadResultAsync(url, config, ct);
            var page = (result["results"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            foreach (var d in page)
                if (d["id"]?.GetValue<string>() is { } id && seen.Add(id)) found.Add((JsonObject)d.DeepClone());
            var count = result["count"]?.GetValue<int>() ?? 0;
            progress?.Invoke($"package_search start={start}: {page.Count} of {count}");
            if (page.Count < PageSize || start + PageSize >= count) return new CkanGather(found, since is null);
        }
        // The page limit ended the paging: what was not reached is not known to be gone.
        return new CkanGather(found, false);
    }

    public static string? FilterQuery(HarvestConfig config, DateTime? since)
    {
        var parts = new List<string>();
        if (config.Organizations.Count > 0)
            parts.Add("organization:(" + string.Join(" OR ", config.Organizations) + ")");
        if (since is { } s)
            parts.Add($"metadata_modified:[{s.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} TO *]");
        return parts.Count == 0 ? null : string.Join(" AND ", parts);
    }

    public static Uri SearchUrl(Uri baseUrl, string? fq, int start)
    {
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        var query = $"q=*:*&rows={PageSize}&start={start}&sort={Uri.EscapeDataString("id asc")}";
        if (fq is not null) query += "&fq=" + Uri.EscapeDataString(fq);
        return new Uri($"{root}/api/3/action/package_search?{query}");
    }

    /// <summary>The dataset's page on the remote, recorded as the harvested dataset's source_url.</summary>
    public static string DatasetUrl(Uri baseUrl, JsonObject remote) =>
        $"{baseUrl.AbsoluteUri.TrimEnd('/')}/dataset/{remote["name"]?.GetValue<string>() ?? remote["id"]!.GetValue<string>()}";

    private async Task<JsonObject> ReadResultAsync(Uri url, HarvestConfig config, CancellationToken ct)
    {
        using var fetched = await fetcher.FetchAsync(url, config.AllowPrivateAddresses, config.MaxFileBytes, ct: ct);
        JsonNode? body;
        try
        {
            await using var stream = File.OpenRead(fetched.Path!);
            body = await JsonNode.ParseAsync(stream, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            throw new FetchException($"{url} did not answer CKAN JSON: {e.Message}");
        }
        if (body?["success"]?.GetValue<bool>() != true || body["result"] is not JsonObject result)
            throw new FetchException($"{url} answered an error: {body?["error"]?.ToJsonString() ?? "no result"}");
        return result;
    }
}
