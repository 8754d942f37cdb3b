using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;

namespace Catalog.Harvester.Sources;

/// <summary>A source's config, read from its JSON string after schemas/harvest-source.schema.json accepted it.</summary>
public sealed record HarvestConfig
{
    public bool AllowPrivateAddresses { get; init; }
    public int MaxDepth { get; init; } = 3;
    public int MaxPages { get; init; } = 200;
    public long MaxFileBytes { get; init; } = 100L * 1024 * 1024;
    public string? PathPrefix { get; init; }
    public string DeleteMissing { get; init; } = "keep";
    public bool IgnoreRobots { get; init; }
    /// <summary>Requests to one host at once (pages and files); also how many pages are imported at once.</summary>
    public int MaxConcurrency { get; init; } = 4;
    /// <summary>Requests started per second per host; 0 or less: no limit (a site of one's own, a benchmark).</summary>
    public double RequestsPerSecond { get; init; } = 10;
    public IReadOnlyDictionary<string, string> OrganizationMap { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> GroupMap { get; init; } = new Dictionary<string, string>();
    /// <summary>A <c>ckan</c> source: the remote organizations harvested (all when empty).</summary>
    public IReadOnlyList<string> Organizations { get; init; } = [];
    public string LicenseId { get; init; } = "cc-by-40-intl";
    public string TitleSelector { get; init; } = "h1";
    public string ContentSelector { get; init; } = "body";
    public string NotesSelector { get; init; } = "p";
    public string BreadcrumbSelector { get; init; } = ".breadcrumb a, #breadcrumb a, .topicpath a";
    public string TableSelector { get; init; } = "table";

    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Catalog.Harvester.harvest-source.schema.json")
            ?? throw new InvalidOperationException("harvest-source.schema.json is not embedded");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    });

    /// <summary>The problems with a config string, empty when it is acceptable (null and empty mean defaults).</summary>
    public static IReadOnlyList<string> Problems(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            if (JsonNode.Parse(json) is not JsonObject) return ["Config must be a JSON object"];
        }
        catch (JsonException e)
        {
            return [$"Config is not valid JSON: {e.Message}"];
        }
        return Schema.Value.Validate(json)
            .Select(e => $"{(string.IsNullOrEmpty(e.Path) ? "#" : e.Path)}: {e.Kind}")
            .ToList();
    }

    public static HarvestConfig Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new HarvestConfig();
        var o = JsonNode.Parse(json)!.AsObject();
        var s = o["selectors"] as JsonObject;
        var d = new HarvestConfig();
        return d with
        {
            AllowPrivateAddresses = o["allow_private_addresses"]?.GetValue<bool>() ?? false,
            MaxDepth = o["max_depth"]?.GetValue<int>() ?? d.MaxDepth,
            MaxPages = o["max_pages"]?.GetValue<int>() ?? d.MaxPages,
            MaxFileBytes = o["max_file_bytes"]?.GetValue<long>() ?? d.MaxFileBytes,
            PathPrefix = o["path_prefix"]?.GetValue<string>(),
            DeleteMissing = o["delete_missing"]?.GetValue<string>() ?? d.DeleteMissing,
            IgnoreRobots = o["ignore_robots"]?.GetValue<bool>() ?? false,
            MaxConcurrency = o["max_concurrency"]?.GetValue<int>() ?? d.MaxConcurrency,
            RequestsPerSecond = o["requests_per_second"]?.GetValue<double>() ?? d.RequestsPerSecond,
            OrganizationMap = Map(o["organization_map"]),
            GroupMap = Map(o["group_map"]),
            Organizations = o["organizations"] is JsonArray orgs ? orgs.Select(x => x!.GetValue<string>()).ToList() : [],
            LicenseId = o["license_id"]?.GetValue<string>() ?? d.LicenseId,
            TitleSelector = s?["title"]?.GetValue<string>() ?? d.TitleSelector,
            ContentSelector = s?["content"]?.GetValue<string>() ?? d.ContentSelector,
            NotesSelector = s?["notes"]?.GetValue<string>() ?? d.NotesSelector,
            BreadcrumbSelector = s?["breadcrumb"]?.GetValue<string>() ?? d.BreadcrumbSelector,
            TableSelector = s?["tables"]?.GetValue<string>() ?? d.TableSelector,
        };
    }

    private static Dictionary<string, string> Map(JsonNode? node) =>
        node is JsonObject o ? o.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()) : [];
}
