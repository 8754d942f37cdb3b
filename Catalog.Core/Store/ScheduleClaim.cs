using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

/// <summary>
/// The last occurrence of one schedule (the export, a harvest source's frequency, a sync target's cron) that a node
/// took, so that of several nodes waking for the same occurrence exactly one acts on it.
/// </summary>
public sealed class ScheduleClaim
{
    /// <summary>The schedule, e.g. <c>export</c>, <c>harvest:{source id}</c>, <c>sync:{target}</c>.</summary>
    public required string Name { get; set; }

    /// <summary>The occurrence last claimed (UTC, microseconds); null before the first.</summary>
    public DateTime? Occurrence { get; set; }

    public DateTime? ClaimedAt { get; set; }

    /// <summary>Which node claimed it (its machine name and process id), for operators.</summary>
    public string? ClaimedBy { get; set; }
}

internal static class ScheduleClaimModel
{
    public static void Configure(ModelBuilder b) =>
        b.Entity<ScheduleClaim>(e =>
        {
            e.ToTable("schedule_claim");
            e.HasKey(c => c.Name);
        });
}
