using System.Linq.Expressions;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;

namespace Catalog.Core.Auth;

/// <summary>
/// The one rule of who may read which dataset, as CKAN's permission labels: a dataset carries labels
/// (<see cref="DatasetLabels"/>), a reader holds labels (<see cref="ReaderAsync"/>), and the reader may read the
/// dataset when they share one. Sysadmins read everything. Every surface asks this rule, in one of its three
/// forms: a single dataset (<see cref="CanRead"/>), a store query (<see cref="Readable"/>) and the index's
/// permission labels (written from <see cref="DatasetLabels"/>, matched against <see cref="Reader.Labels"/>).
/// A test holds the three forms equal over every combination of state, privacy, organization and creator.
/// </summary>
public static class Visibility
{
    public const string PublicLabel = "public";

    public static string MemberLabel(string organizationId) => $"member-{organizationId}";

    public static string CreatorLabel(string userId) => $"creator-{userId}";

    /// <summary>A dataset's collaborators (CKAN's collaborator-&lt;dataset id&gt; label).</summary>
    public static string CollaboratorLabel(string packageId) => $"collaborator-{packageId}";

    /// <summary>
    /// Public active datasets are readable by everyone; any other (private, draft, deleted) by the readers of its
    /// organization, or, without one, by its creator; and by its collaborators. The collaborator label is carried
    /// whether or not collaborators are on (readers hold it only when they are), so turning them on or off needs no
    /// reindex.
    /// </summary>
    public static IReadOnlyList<string> DatasetLabels(string id, string state, bool isPrivate, string? ownerOrgId, string? creatorUserId)
    {
        if (state == ObjectState.Active && !isPrivate) return [PublicLabel];
        if (ownerOrgId is { Length: > 0 }) return [CollaboratorLabel(id), MemberLabel(ownerOrgId)];
        return creatorUserId is { Length: > 0 } ? [CollaboratorLabel(id), CreatorLabel(creatorUserId)] : [CollaboratorLabel(id)];
    }

    public static IReadOnlyList<string> DatasetLabels(Package p) => DatasetLabels(p.Id, p.State, p.Private, p.OwnerOrgId, p.CreatorUserId);

    /// <summary>What a caller reads with: every label it holds, and the organizations and datasets those come from.</summary>
    /// <param name="All">A sysadmin: every dataset, whatever its labels.</param>
    /// <param name="Collaborations">The datasets the caller collaborates on, in any role (empty when collaborators are off).</param>
    public sealed record Reader(bool All, string? UserId, IReadOnlyList<string> Organizations, IReadOnlyList<string>? Collaborations = null)
    {
        public static readonly Reader Anonymous = new(false, null, []);

        /// <summary>
        /// Labels in a stable order (public, creator, members by id, collaborations by id), so equal readers compare
        /// equal (the search cache keys on them).
        /// </summary>
        public IReadOnlyList<string> Labels { get; } = BuildLabels(UserId, Organizations, Collaborations ?? []);

        private static List<string> BuildLabels(string? userId, IReadOnlyList<string> organizations, IReadOnlyList<string> collaborations)
        {
            var labels = new List<string> { PublicLabel };
            if (userId is not null)
            {
                labels.Add(CreatorLabel(userId));
                labels.AddRange(organizations.Order(StringComparer.Ordinal).Select(MemberLabel));
                labels.AddRange(collaborations.Order(StringComparer.Ordinal).Select(CollaboratorLabel));
            }
            return labels;
        }
    }

    /// <summary>
    /// The caller as a reader. Without <paramref name="memberships"/> the organization labels are left out: callers
    /// that only want public datasets (the default search) need no look-up of roles.
    /// </summary>
    public static async Task<Reader> ReaderAsync(Authorizer authz, CancellationToken ct, bool memberships = true)
    {
        var caller = authz.Caller;
        if (caller.IsSysadmin) return new Reader(true, caller.UserId, []);
        if (caller.UserId is null) return Reader.Anonymous;
        if (!memberships) return new Reader(false, caller.UserId, []);
        var organizations = await authz.GroupsWithPermissionAsync(Roles.Permission.Read, ct);
        var collaborations = (await authz.CollaborationsAsync(ct)).Keys.ToList();
        return new Reader(false, caller.UserId, organizations, collaborations);
    }

    public static bool CanRead(Reader reader, Package p) =>
        reader.All || DatasetLabels(p).Any(reader.Labels.Contains);

    /// <summary>The store form of the rule: the datasets among <paramref name="packages"/> the reader may read.</summary>
    public static IQueryable<Package> Readable(IQueryable<Package> packages, Reader reader) =>
        reader.All ? packages : packages.Where(ReadableBy(reader));

    /// <summary>Active datasets the reader may read: what lists, counts and activity streams are built from.</summary>
    public static IQueryable<Package> ReadableActive(CatalogDbContext db, Reader reader) =>
        Readable(db.Packages.Where(p => p.State == ObjectState.Active), reader);

    /// <summary>The active datasets the calling user may read.</summary>
    public static async Task<IQueryable<Package>> ReadableActiveAsync(Dispatch.ActionContext ctx) =>
        ReadableActive(ctx.Db, await ctx.Authz.ReaderAsync(ctx.CancellationToken));

    private static Expression<Func<Package, bool>> ReadableBy(Reader reader)
    {
        var userId = reader.UserId;
        var organizations = reader.Organizations.ToList();
        var collaborations = (reader.Collaborations ?? []).ToList();
        return p => (p.State == ObjectState.Active && !p.Private)
            || (p.OwnerOrgId != null && p.OwnerOrgId != "" && organizations.Contains(p.OwnerOrgId))
            || ((p.OwnerOrgId == null || p.OwnerOrgId == "") && userId != null && p.CreatorUserId == userId)
            || (userId != null && collaborations.Contains(p.Id));
    }
}
