using Catalog.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

/// <summary>One run of a sync target: the change-feed span it covered and what it did to the remote catalog.</summary>
public sealed class SyncJob : ILeasedJob
{
    public required string Id { get; set; }
    /// <summary>The target's name in Catalog:Sync:Targets.</summary>
    public required string Target { get; set; }
    public string Status { get; set; } = SyncJobStatus.New;
    public bool DryRun { get; set; }
    public DateTime Created { get; set; }
    public DateTime? Started { get; set; }
    public DateTime? Finished { get; set; }
    /// <summary>While Running: until when its runner (on any node) promised to renew this; past it the job was lost.</summary>
    public DateTime? LeaseUntil { get; set; }
    /// <summary>How many runs took the job; the holder's token, as for harvest jobs.</summary>
    public int Attempts { get; set; }
    /// <summary>The change-feed position the job started after, and the one it reached (the next job starts after it).</summary>
    public long FromSeq { get; set; }
    public long ToSeq { get; set; }
    public int CreatedCount { get; set; }
    public int Updated { get; set; }
    public int Deleted { get; set; }
    public int Unchanged { get; set; }
    public int Failed { get; set; }
    /// <summary>Why the job as a whole failed, or null.</summary>
    public string? Error { get; set; }
    /// <summary>A JSON list of {dataset, remote_name, action, error}: what was (or, for a dry run, would be) sent.</summary>
    public string Report { get; set; } = "[]";

    public void FinishInterrupted(DateTime now, string error)
    {
        Status = SyncJobStatus.Finished;
        Finished = now;
        LeaseUntil = null;
        Error = error;
    }
}

public static class SyncJobStatus
{
    public const string New = JobStatus.New;
    public const string Running = JobStatus.Running;
    public const string Finished = JobStatus.Finished;
}

/// <summary>What a target holds of one of our datasets, as far as the last run knows.</summary>
public sealed class SyncDataset
{
    public required string Target { get; set; }
    public required string PackageId { get; set; }
    public string? RemoteId { get; set; }
    public required string RemoteName { get; set; }
    /// <summary>Fingerprint of the dict last written to the remote, so an unchanged dataset makes no remote write.</summary>
    public string? PushedHash { get; set; }
    /// <summary>The change-feed position of the version last pushed.</summary>
    public long PushedSeq { get; set; }
    /// <summary>present, deleted or failed.</summary>
    public string Status { get; set; } = SyncDatasetStatus.Present;
    public string? LastError { get; set; }
    public DateTime Modified { get; set; }
}

public static class SyncDatasetStatus
{
    public const string Present = "present";
    public const string Deleted = "deleted";
    public const string Failed = "failed";
}

internal static class SyncModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<SyncJob>(e =>
        {
            e.ToTable("sync_job");
            e.HasIndex(j => new { j.Target, j.Created });
            e.HasIndex(j => j.Status);
        });
        b.Entity<SyncDataset>(e =>
        {
            e.ToTable("sync_dataset");
            e.HasKey(d => new { d.Target, d.PackageId });
            e.HasIndex(d => new { d.Target, d.Status });
        });
    }
}
