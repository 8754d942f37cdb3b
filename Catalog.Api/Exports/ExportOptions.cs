using System.ComponentModel.DataAnnotations;
using Catalog.Core;
using Cronos;

namespace Catalog.Api.Exports;

/// <summary>The <c>Catalog:Exports</c> section.</summary>
public sealed class ExportOptions : IValidatableObject
{
    public const string Section = "Catalog:Exports";
    public const string Manual = "MANUAL";

    /// <summary>
    /// <c>MANUAL</c> (only <c>export run</c>) or a cron expression in UTC: five fields, or six with seconds first.
    /// </summary>
    [Required] public string Schedule { get; set; } = Manual;

    /// <summary>
    /// Where the bundle is written and served from; <c>{DataDir}/exports</c> when unset. Several nodes share one
    /// folder (the shared volume), since one node writes each scheduled bundle and every node serves it.
    /// </summary>
    public string? Dir { get; set; }

    public CronExpression? Cron => Schedule == Manual ? null : Parse(Schedule);

    public string Directory(CatalogOptions catalog) =>
        Path.GetFullPath(Dir is { Length: > 0 } dir ? dir : Path.Combine(catalog.DataDir, ExportFiles.Folder));

    private static CronExpression Parse(string schedule) =>
        CronExpression.Parse(schedule, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6
            ? CronFormat.IncludeSeconds : CronFormat.Standard);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Schedule == Manual) yield break;
        string? error = null;
        try
        {
            Parse(Schedule);
        }
        catch (CronFormatException e)
        {
            error = e.Message;
        }
        if (error is not null)
            yield return new ValidationResult($"Catalog:Exports:Schedule must be MANUAL or a cron expression: {error}", [nameof(Schedule)]);
    }
}
