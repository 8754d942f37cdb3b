using Catalog.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

/// <summary>A place datasets are harvested from (ckanext-harvest's harvest_source).</summary>
public sealed class HarvestSource
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? Title { get; set; }
    public required string Url { get; set; }
    public required string SourceType { get; set; }
    public string? OwnerOrg { get; set; }
    public string Frequency { get; set; } = "MANUAL";
    /// <summary>The config JSON exactly as written, validated against schemas/harvest-source.schema.json.</summary>
    public string? Config { get; set; }
    public string? Notes { get; set; }
    public string State { get; set; } = ObjectState.Active;
    public DateTime Created { get; set; }
    public DateTime Modified { get; set; }
}

/// <summary>One run over a source: gather, fetch and import, with its counts.</summary>
public sealed class HarvestJob : ILeasedJob
{
    public required string Id { get; set; }
    public required string SourceId { get; set; }
    public string Status { get; set; } = HarvestJobStatus.New;
    public DateTime Created { get; set; }
    public DateTime? GatherStarted { get; set; }
    public DateTime? GatherFinished { get; set; }
    public DateTime? Finished { get; set; }
    /// <summary>
    /// While Running: until when the runner that holds the job has promised to renew this. A Running job past it
    /// (or without one) lost its runner, whichever node that was, and another node resumes it.
    /// </summary>
    public DateTime? LeaseUntil { get; set; }
    /// <summary>
    /// How many runs took the job (the first, then one per resumption after a lost runner); it is also the holder's
    /// token: a runner writes to the job only while the count is still its own.
    /// </summary>
    public int Attempts { get; set; }
    public int Added { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Deleted { get; set; }
    public int Errored { get; set; }
    /// <summary>Why the job as a whole failed (the source refused, the crawl could not start), or null.</summary>
    public string? GatherError { get; set; }

    public void FinishInterrupted(DateTime now, string error)
    {
        Status = HarvestJobStatus.Finished;
        Finished = now;
        GatherFinished ??= now;
        LeaseUntil = null;
        GatherError = error;
    }
}

public static class HarvestJobStatus
{
    public const string New = JobStatus.New;
    public const string Running = JobStatus.Running;
    public const string Finished = JobStatus.Finished;
    public const string Aborted = "Aborted";
}

/// <summary>One remote object (a dataset page) seen by a job, with what became of it.</summary>
public sealed class HarvestObject
{
    public required string Id { get; set; }
    public required string JobId { get; set; }
    public required string SourceId { get; set; }
    /// <summary>The object's identity at the source: the page URL.</summary>
    public required string Guid { get; set; }
    public string? PackageId { get; set; }
    /// <summary>COMPLETE or ERROR.</summary>
    public string State { get; set; } = "COMPLETE";
    /// <summary>added, updated, unchanged, deleted or errored.</summary>
    public string? ReportStatus { get; set; }
    /// <summary>Fingerprint of the dataset dict last written, so an unchanged page makes no write.</summary>
    public string? ContentHash { get; set; }
    /// <summary>A JSON list of {stage, message, url}.</summary>
    public string? Errors { get; set; }
    public DateTime Created { get; set; }
}

/// <summary>What was learnt about a remote file, so the next run can ask for it conditionally.</summary>
public sealed class HarvestFile
{
    public required string SourceId { get; set; }
    public required string Url { get; set; }
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    public string? Sha256 { get; set; }
    /// <summary>The profile (format, encoding, size, counts) as JSON, reused when the file is unchanged.</summary>
    public string? Profile { get; set; }
}

internal static class HarvestModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<HarvestSource>(e =>
        {
            e.ToTable("harvest_source");
            e.HasIndex(s => s.Name).IsUnique();
        });
        b.Entity<HarvestJob>(e =>
        {
            e.ToTable("harvest_job");
            e.HasIndex(j => new { j.SourceId, j.Created });
            e.HasIndex(j => j.Status);
        });
        b.Entity<HarvestObject>(e =>
        {
            e.ToTable("harvest_object");
            e.HasIndex(o => o.JobId);
            e.HasIndex(o => new { o.SourceId, o.Guid });
        });
        b.Entity<HarvestFile>(e =>
        {
            e.ToTable("harvest_file");
            e.HasKey(f => new { f.SourceId, f.Url });
        });
    }
}
