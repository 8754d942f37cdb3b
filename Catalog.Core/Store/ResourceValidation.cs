using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

/// <summary>The last validation of a resource's file (ckanext-validation's resource_validation), one per resource.</summary>
public sealed class ResourceValidation
{
    public required string ResourceId { get; set; }
    /// <summary>success (no errors), failure (errors found) or error (the file could not be validated).</summary>
    public string Status { get; set; } = ResourceValidationStatus.Success;
    /// <summary>The report as JSON, in Frictionless's shape.</summary>
    public string Report { get; set; } = "{}";
    /// <summary>What the file was checked against: a standard schema id or a Table Schema as JSON; null for the general rules only.</summary>
    public string? Schema { get; set; }
    /// <summary>The standard schema id the file passed or failed, when it was one (for the dataset's tags).</summary>
    public string? StandardId { get; set; }
    /// <summary>The SHA-256 of the stored file that was validated.</summary>
    public string? BlobSha256 { get; set; }
    /// <summary>After resource_table_fix: the file as uploaded, kept beside the fixed one.</summary>
    public string? OriginalSha256 { get; set; }
    /// <summary>After resource_table_fix: the fixes applied, comma-separated.</summary>
    public string? FixesApplied { get; set; }
    public DateTime Created { get; set; }
    public DateTime? Finished { get; set; }
}

public static class ResourceValidationStatus
{
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Error = "error";
}

internal static class ResourceValidationModel
{
    public static void Configure(ModelBuilder b) => b.Entity<ResourceValidation>(e =>
    {
        e.ToTable("resource_validations");
        e.HasKey(v => v.ResourceId);
        e.HasOne<Resource>().WithOne().HasForeignKey<ResourceValidation>(v => v.ResourceId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(v => v.Status);
    });
}
