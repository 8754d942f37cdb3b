using System.ComponentModel.DataAnnotations;
using Cronos;

namespace Catalog.Api.Exports;

/// <summary>The <c>Catalog:Exports</c> section.</summary>
public sealed class ExportOptions : IValidatableObject
{
    public const string Section = "Catalog:Exports";
    public const string Manual = "MANUAL";

    /// <summary><c>MANUAL</c> (only <c>export run</c>) or a five-field cron expression, in UTC.</summary>
    [Required] public string Schedule { get; set; } = Manual;

    public CronExpression? Cron => Schedule == Manual ? null : CronExpression.Parse(Schedule);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Schedule == Manual) yield break;
        string? error = null;
        try
        {
            CronExpression.Parse(Schedule);
        }
        catch (CronFormatException e)
        {
            error = e.Message;
        }
        if (error is not null)
            yield return new ValidationResult($"Catalog:Exports:Schedule must be MANUAL or a cron expression: {error}", [nameof(Schedule)]);
    }
}
