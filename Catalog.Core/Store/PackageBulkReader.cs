using System.Data.Common;
using Catalog.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

/// <summary>
/// Reads every non-deleted dataset with its resources, extras, tags and groups, a page at a time in id order, for a
/// full re-index. Plain SQL over the store's connection: EF Core's include fix-up cost several times the query
/// itself, and a rebuild reads every dataset. Reads are synchronous: SQLite runs in-process, and awaiting each row
/// only adds overhead. The entities come out as <c>PackageLookup.WithDetails</c> loads them
/// (organizations and groups shared between datasets), which a test compares dict for dict.
/// </summary>
public sealed class PackageBulkReader
{
    private readonly CatalogDbContext _db;
    private readonly Dictionary<string, Group> _groups;

    private PackageBulkReader(CatalogDbContext db, Dictionary<string, Group> groups)
    {
        _db = db;
        _groups = groups;
    }

    /// <summary>Organizations and groups are few and named by most datasets: read once, shared by all.</summary>
    public static async Task<PackageBulkReader> OpenAsync(CatalogDbContext db, CancellationToken ct)
    {
        var groups = await db.Groups.AsNoTracking().ToDictionaryAsync(g => g.Id, StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(ct);
        return new PackageBulkReader(db, groups);
    }

    /// <summary>Up to <paramref name="size"/> datasets whose ids sort after <paramref name="after"/>, with the groups of each.</summary>
    public IReadOnlyList<(Package Package, List<Group> Groups)> Page(string? after, int size, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var packages = new List<Package>(size);
        using (var command = Command("""
            SELECT "Id", "Name", "Title", "Notes", "Author", "AuthorEmail", "Maintainer", "MaintainerEmail", "LicenseId",
                   "Url", "Version", "State", "Private", "Type", "OwnerOrgId", "CreatorUserId", "MetadataCreated", "MetadataModified"
            FROM "package" WHERE "State" <> 'deleted' AND "Id" > @after ORDER BY "Id" LIMIT @size
            """, ("@after", after ?? ""), ("@size", size)))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                var ownerOrgId = Text(r, 14);
                packages.Add(new Package
                {
                    Id = r.GetString(0), Name = r.GetString(1), Title = Text(r, 2), Notes = Text(r, 3), Author = Text(r, 4),
                    AuthorEmail = Text(r, 5), Maintainer = Text(r, 6), MaintainerEmail = Text(r, 7), LicenseId = Text(r, 8),
                    Url = Text(r, 9), Version = Text(r, 10), State = r.GetString(11), Private = r.GetBoolean(12),
                    Type = r.GetString(13), OwnerOrgId = ownerOrgId,
                    OwnerOrg = ownerOrgId is null ? null : _groups.GetValueOrDefault(ownerOrgId),
                    CreatorUserId = Text(r, 15), MetadataCreated = r.GetDateTime(16), MetadataModified = r.GetDateTime(17),
                });
            }
        }
        if (packages.Count == 0) return [];

        // Children are read by id range: the page's ids are consecutive, and each table has an index led by the id.
        var byId = packages.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var from = after ?? "";
        var to = packages[^1].Id;
        ReadRows("""
            SELECT "PackageId", "Id", "Position", "State", "Name", "Description", "Url", "UrlType", "Format", "Mimetype",
                   "MimetypeInner", "Size", "Hash", "ResourceType", "Created", "LastModified", "MetadataModified", "CacheUrl",
                   "CacheLastUpdated", "DatastoreActive", "ExtrasJson"
            FROM "resource" WHERE "PackageId" > @after AND "PackageId" <= @to
            """, from, to, byId, (p, r) => p.Resources.Add(new Resource
        {
            PackageId = p.Id, Id = r.GetString(1), Position = r.GetInt32(2), State = r.GetString(3), Name = Text(r, 4),
            Description = Text(r, 5), Url = r.GetString(6), UrlType = Text(r, 7), Format = Text(r, 8), Mimetype = Text(r, 9),
            MimetypeInner = Text(r, 10), Size = r.IsDBNull(11) ? null : r.GetInt64(11), Hash = r.GetString(12),
            ResourceType = Text(r, 13), Created = r.GetDateTime(14), LastModified = Date(r, 15), MetadataModified = Date(r, 16),
            CacheUrl = Text(r, 17), CacheLastUpdated = Date(r, 18), DatastoreActive = r.GetBoolean(19), ExtrasJson = r.GetString(20),
        }));
        ReadRows("""
            SELECT "PackageId", "Key", "Value" FROM "package_extra" WHERE "PackageId" > @after AND "PackageId" <= @to
            """, from, to, byId, (p, r) => p.Extras.Add(new PackageExtra { PackageId = p.Id, Key = r.GetString(1), Value = r.GetString(2) }));
        ReadRows("""
            SELECT pt."PackageId", t."Id", t."Name", t."VocabularyId"
            FROM "package_tag" pt JOIN "tag" t ON t."Id" = pt."TagId"
            WHERE pt."PackageId" > @after AND pt."PackageId" <= @to
            """, from, to, byId, (p, r) => p.Tags.Add(new PackageTag
        {
            PackageId = p.Id, TagId = r.GetString(1), Tag = new Tag { Id = r.GetString(1), Name = r.GetString(2), VocabularyId = Text(r, 3) },
        }));

        var groups = new Dictionary<string, List<Group>>(StringComparer.Ordinal);
        ReadRows("""
            SELECT "TableId", "GroupId" FROM "member"
            WHERE "TableName" = 'package' AND "State" = 'active' AND "TableId" > @after AND "TableId" <= @to
            """, from, to, byId, (p, r) =>
        {
            if (_groups.GetValueOrDefault(r.GetString(1)) is not { IsOrganization: false } group) return;
            if (!groups.TryGetValue(p.Id, out var list)) groups[p.Id] = list = [];
            list.Add(group);
        });

        return packages.Select(p => (p, groups.GetValueOrDefault(p.Id) ?? [])).ToList();
    }

    private void ReadRows(string sql, string after, string to, Dictionary<string, Package> byId, Action<Package, DbDataReader> add)
    {
        using var command = Command(sql, ("@after", after), ("@to", to));
        using var r = command.ExecuteReader();
        // Rows of deleted datasets fall in the range too; they have no entry and are skipped.
        while (r.Read())
            if (byId.TryGetValue(r.GetString(0), out var p)) add(p, r);
    }

    private DbCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTime? Date(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDateTime(i);
}
