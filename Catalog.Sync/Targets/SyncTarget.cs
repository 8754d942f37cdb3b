using Cronos;

namespace Catalog.Sync.Targets;

/// <summary>One remote catalog our datasets are pushed to (an entry of Catalog:Sync:Targets, schemas/sync-target.schema.json).</summary>
public sealed record SyncTarget
{
    public required string Name { get; init; }
    public required Uri Url { get; init; }
    public required string ApiToken { get; init; }
    public required string Organization { get; init; }
    public string Schedule { get; init; } = "MANUAL";
    public IReadOnlyList<string> Include { get; init; } = ["public"];
    public bool AllowPrivateAddresses { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public int Retries { get; init; } = 4;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The parsed schedule; null for MANUAL.</summary>
    public CronExpression? Cron => Schedule == "MANUAL" ? null : CronExpression.Parse(Schedule);

    /// <summary>Whether a public dataset (its package_show dict) goes to this target.</summary>
    public bool Includes(System.Text.Json.Nodes.JsonObject dataset)
    {
        var organization = dataset["organization"]?["name"]?.GetValue<string>();
        var tags = (dataset["tags"] as System.Text.Json.Nodes.JsonArray ?? []).Select(t => t?["name"]?.GetValue<string>()).ToHashSet();
        return Include.Any(rule => rule == "public"
            || (rule.StartsWith("organization:", StringComparison.Ordinal) && rule["organization:".Length..] == organization)
            || (rule.StartsWith("tag:", StringComparison.Ordinal) && tags.Contains(rule["tag:".Length..])));
    }
}

/// <summary>The configured targets, read and checked once at start.</summary>
public sealed class SyncTargets(IReadOnlyList<SyncTarget> all)
{
    public IReadOnlyList<SyncTarget> All => all;

    public SyncTarget? Find(string? name) => all.FirstOrDefault(t => t.Name == name);
}
