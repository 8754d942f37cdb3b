using System.ComponentModel.DataAnnotations;

namespace Catalog.Core.Store;

/// <summary>
/// <c>Catalog:Jobs</c>: how harvest and sync jobs are held. A runner holds its job by a lease it renews; when it stops
/// renewing (its node died), another node resumes the job, up to <see cref="MaxAttempts"/> runs in all.
/// </summary>
public sealed class JobOptions : IValidatableObject
{
    public const string Section = "Catalog:Jobs";

    /// <summary>How long a runner's hold lasts unless renewed (it renews four times as often).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Runs of one job in all; a job whose node died in each is finished with an error instead of tried again.</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 3;

    /// <summary>How often an idle node looks for due schedules and for jobs to run or resume.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Lease < TimeSpan.FromSeconds(1))
            yield return new ValidationResult("Catalog:Jobs:Lease must be 1 s or more", [nameof(Lease)]);
        if (PollInterval < TimeSpan.FromMilliseconds(100))
            yield return new ValidationResult("Catalog:Jobs:PollInterval must be 100 ms or more", [nameof(PollInterval)]);
    }
}
