namespace Catalog.Core.Jobs;

/// <summary>
/// A job that runners on any node take and hold by a lease (harvest and sync jobs): the columns
/// <see cref="JobLease{TJob}"/> reads and writes. Implemented by the entities, so the lease's queries translate to
/// the same SQL as if written against each entity.
/// </summary>
public interface ILeasedJob
{
    string Id { get; }

    /// <summary><see cref="JobStatus.New"/>, <see cref="JobStatus.Running"/>, <see cref="JobStatus.Finished"/>, or a status of the job's own.</summary>
    string Status { get; set; }

    DateTime Created { get; }

    /// <summary>While Running: until when its runner promised to renew this; past it (or without it) the runner was lost.</summary>
    DateTime? LeaseUntil { get; set; }

    /// <summary>How many runs took the job; the holder's token: a runner writes to the job only while it is still its own.</summary>
    int Attempts { get; set; }

    /// <summary>Ends the job with <paramref name="error"/> because every attempt lost its runner.</summary>
    void FinishInterrupted(DateTime now, string error);
}

/// <summary>The statuses every leased job shares.</summary>
public static class JobStatus
{
    public const string New = "New";
    public const string Running = "Running";
    public const string Finished = "Finished";
}
