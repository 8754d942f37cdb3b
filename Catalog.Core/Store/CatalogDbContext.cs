using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

/// <summary>
/// The catalog's model, shared by every database. Each provider (Catalog.Store.Sqlite, Catalog.Store.Postgres)
/// subclasses it with its own migrations and what its database needs beyond the model.
/// </summary>
public abstract class CatalogDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Package> Packages => Set<Package>();
    public DbSet<PackageExtra> PackageExtras => Set<PackageExtra>();
    public DbSet<Resource> Resources => Set<Resource>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<PackageTag> PackageTags => Set<PackageTag>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<GroupExtra> GroupExtras => Set<GroupExtra>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<HarvestSource> HarvestSources => Set<HarvestSource>();
    public DbSet<HarvestJob> HarvestJobs => Set<HarvestJob>();
    public DbSet<HarvestObject> HarvestObjects => Set<HarvestObject>();
    public DbSet<HarvestFile> HarvestFiles => Set<HarvestFile>();
    public DbSet<ResourceValidation> ResourceValidations => Set<ResourceValidation>();
    public DbSet<SyncJob> SyncJobs => Set<SyncJob>();
    public DbSet<SyncDataset> SyncDatasets => Set<SyncDataset>();
    public DbSet<SystemInfo> SystemInfo => Set<SystemInfo>();
    public DbSet<PackageMember> PackageMembers => Set<PackageMember>();
    public DbSet<ResourceView> ResourceViews => Set<ResourceView>();
    public DbSet<Vocabulary> Vocabularies => Set<Vocabulary>();
    public DbSet<Follower> Followers => Set<Follower>();
    public DbSet<Dashboard> Dashboards => Set<Dashboard>();
    public DbSet<ScheduleClaim> ScheduleClaims => Set<ScheduleClaim>();

    /// <summary>Brings the schema up to date, then whatever else the database needs before the catalog uses it.</summary>
    public virtual Task PrepareAsync(CancellationToken ct = default) => Database.MigrateAsync(ct);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<SystemInfo>(e => { e.ToTable("system_info"); e.HasKey(x => x.Key); });
        b.Entity<PackageMember>(e =>
        {
            e.ToTable("package_member");
            e.HasKey(m => new { m.PackageId, m.UserId });
            // The reader's labels are built from a user's collaborations.
            e.HasIndex(m => m.UserId);
            e.HasOne(m => m.Package).WithMany().HasForeignKey(m => m.PackageId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Package>(e =>
        {
            e.ToTable("package");
            e.HasIndex(p => p.Name).IsUnique();
            e.HasIndex(p => p.OwnerOrgId);
            e.HasIndex(p => p.MetadataModified);
            e.HasOne(p => p.OwnerOrg).WithMany().HasForeignKey(p => p.OwnerOrgId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(p => p.Resources).WithOne(r => r.Package).HasForeignKey(r => r.PackageId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(p => p.Extras).WithOne().HasForeignKey(x => x.PackageId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(p => p.Tags).WithOne().HasForeignKey(x => x.PackageId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<PackageExtra>(e => { e.ToTable("package_extra"); e.HasKey(x => new { x.PackageId, x.Key }); });
        b.Entity<Resource>(e => { e.ToTable("resource"); e.HasIndex(r => r.PackageId); });
        b.Entity<Tag>(e => { e.ToTable("tag"); e.HasIndex(t => new { t.Name, t.VocabularyId }).IsUnique(); });
        b.Entity<PackageTag>(e =>
        {
            e.ToTable("package_tag");
            e.HasKey(x => new { x.PackageId, x.TagId });
            e.HasOne(x => x.Tag).WithMany().HasForeignKey(x => x.TagId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Group>(e =>
        {
            e.ToTable("group");
            e.HasIndex(g => g.Name).IsUnique();
            e.HasMany(g => g.Extras).WithOne().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<GroupExtra>(e => { e.ToTable("group_extra"); e.HasKey(x => new { x.GroupId, x.Key }); });
        b.Entity<Member>(e =>
        {
            e.ToTable("member");
            e.HasIndex(m => new { m.GroupId, m.TableName, m.TableId }).IsUnique();
            e.HasIndex(m => new { m.TableName, m.TableId });
            e.HasOne(m => m.Group).WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<User>(e => { e.ToTable("user"); e.HasIndex(u => u.Name).IsUnique(); });
        b.Entity<ApiToken>(e =>
        {
            e.ToTable("api_token");
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Activity>(e =>
        {
            e.ToTable("activity");
            e.HasKey(a => a.Seq);
            e.Property(a => a.Seq).ValueGeneratedOnAdd();
            e.HasIndex(a => a.Id).IsUnique();
            e.HasIndex(a => new { a.ObjectId, a.Seq });
        });
        HarvestModel.Configure(b);
        ResourceValidationModel.Configure(b);
        SyncModel.Configure(b);
        ResourceViewModel.Configure(b);
        VocabularyModel.Configure(b);
        FollowerModel.Configure(b);
        ScheduleClaimModel.Configure(b);
    }
}
