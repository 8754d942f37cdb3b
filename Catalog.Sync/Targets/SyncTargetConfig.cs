using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Cronos;
using Microsoft.Extensions.Configuration;
using NJsonSchema;

namespace Catalog.Sync.Targets;

/// <summary>Thrown at start when Catalog:Sync:Targets is wrong; the message names each wrong key.</summary>
public sealed class SyncConfigException(string message) : Exception(message);

/// <summary>Reads Catalog:Sync:Targets and checks every entry against schemas/sync-target.schema.json before the host starts.</summary>
public static class SyncTargetConfig
{
    public const string Section = "Catalog:Sync:Targets";

    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Catalog.Sync.sync-target.schema.json")
            ?? throw new InvalidOperationException("sync-target.schema.json is not embedded");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    });

    private static readonly HashSet<string> Booleans = ["AllowPrivateAddresses"];
    private static readonly HashSet<string> Numbers = ["TimeoutSeconds", "Retries", "RetryDelayMilliseconds", "BreakSeconds"];

    public static SyncTargets Read(IConfiguration configuration)
    {
        var problems = new List<string>();
        var targets = new List<SyncTarget>();
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            var key = $"{Section}:{entry.Key}";
            var json = ToJson(entry);
            var errors = Schema.Value.Validate(json.ToJsonString()).ToList();
            foreach (var e in errors)
                problems.Add($"{key}{ConfigPath(e.Path, e.Property)}: {e.Kind}");
            if (errors.Count > 0) continue;

            var schedule = json["Schedule"]?.GetValue<string>() ?? "MANUAL";
            if (schedule != "MANUAL")
            {
                try { CronExpression.Parse(schedule); }
                catch (CronFormatException e) { problems.Add($"{key}:Schedule: not MANUAL nor a cron expression ({e.Message})"); continue; }
            }
            var target = new SyncTarget
            {
                Name = json["Name"]!.GetValue<string>(),
                Url = new Uri(json["Url"]!.GetValue<string>().TrimEnd('/') + "/"),
                ApiToken = json["ApiToken"]!.GetValue<string>(),
                Organization = json["Organization"]!.GetValue<string>(),
                Schedule = schedule,
                Include = json["Include"] is JsonArray include ? include.Select(i => i!.GetValue<string>()).ToList() : ["public"],
                AllowPrivateAddresses = json["AllowPrivateAddresses"]?.GetValue<bool>() ?? false,
                Timeout = TimeSpan.FromSeconds(Number(json["TimeoutSeconds"]) ?? 30),
                Retries = (int)(Number(json["Retries"]) ?? 4),
                RetryDelay = TimeSpan.FromMilliseconds(Number(json["RetryDelayMilliseconds"]) ?? 1000),
                BreakDuration = TimeSpan.FromSeconds(Number(json["BreakSeconds"]) ?? 60),
            };
            if (targets.Any(t => t.Name == target.Name)) problems.Add($"{key}:Name: \"{target.Name}\" names another target too");
            else targets.Add(target);
        }
        if (problems.Count > 0)
            throw new SyncConfigException("Catalog:Sync:Targets is not valid: " + string.Join("; ", problems));
        return new SyncTargets(targets);
    }

    /// <summary>The schema's path of an error ("#/Include[0]") as the configuration key under the entry (":Include:0").</summary>
    private static string ConfigPath(string? path, string? property)
    {
        var p = (path ?? "").TrimStart('#').TrimStart('/').Replace("[", ".").Replace("]", "").Replace('/', '.');
        if (p.Length == 0) p = property ?? "";
        return p.Length == 0 ? "" : ":" + string.Join(':', p.Split('.', StringSplitOptions.RemoveEmptyEntries));
    }

    private static double? Number(JsonNode? node) =>
        node is null ? null : double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// Configuration holds only strings: the keys the schema types as boolean or number are read as such when they
    /// parse (left as strings otherwise, so that the schema names them), lists are the section's numbered children.
    /// </summary>
    private static JsonObject ToJson(IConfigurationSection entry)
    {
        var o = new JsonObject();
        foreach (var child in entry.GetChildren())
        {
            if (child.Value is null)
            {
                o[child.Key] = new JsonArray(child.GetChildren().Select(c => (JsonNode?)JsonValue.Create(c.Value)).ToArray());
                continue;
            }
            var value = child.Value;
            if (Booleans.Contains(child.Key) && bool.TryParse(value, out var b)) o[child.Key] = b;
            else if (Numbers.Contains(child.Key) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) o[child.Key] = l;
            else if (Numbers.Contains(child.Key) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) o[child.Key] = d;
            else o[child.Key] = value;
        }
        return o;
    }
}
