using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

/// <summary>
/// A user following a dataset, a group or organization, or another user (CKAN's three user_following_* tables in one,
/// told apart by <see cref="ObjectType"/>). Rows outlive a deleted object, as CKAN keeps a deleted dataset's followers.
/// </summary>
public sealed class Follower
{
    public required string FollowerId { get; set; }
    /// <summary>One of <see cref="FollowedType"/>'s values.</summary>
    public required string ObjectType { get; set; }
    public required string ObjectId { get; set; }
    public DateTime Datetime { get; set; }
}

/// <summary>What may be followed: CKAN's table per kind, organizations and groups sharing one.</summary>
public static class FollowedType
{
    public const string User = "user";
    public const string Dataset = "dataset";
    public const string Group = "group";
}

/// <summary>A user's dashboard: when they last marked its activities as seen (CKAN's dashboard table).</summary>
public sealed class Dashboard
{
    public required string UserId { get; set; }
    public DateTime ActivityStreamLastViewed { get; set; }
    public DateTime EmailLastSent { get; set; }
}

public static class FollowerModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<Follower>(e =>
        {
            e.ToTable("follower");
            e.HasKey(f => new { f.FollowerId, f.ObjectType, f.ObjectId });
            e.Property(f => f.ObjectType).HasMaxLength(16);
            e.HasIndex(f => new { f.ObjectType, f.ObjectId });
            e.HasOne<User>().WithMany().HasForeignKey(f => f.FollowerId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Dashboard>(e =>
        {
            e.ToTable("dashboard");
            e.HasKey(x => x.UserId);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
