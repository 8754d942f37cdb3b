using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Store;
using Catalog.Indexer.Querying;
using Catalog.Store.Sqlite;
using Catalog.Tests.Search;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Tests.Security;

/// <summary>
/// The visibility rule's three forms — one dataset, the store query, the index's labels — agree for every
/// combination of state, privacy, organization and creator, and every kind of reader (collaborators included).
/// </summary>
public sealed class VisibilityRuleTests
{
    private static readonly string[] States = [ObjectState.Active, ObjectState.Draft, ObjectState.Deleted];
    private static readonly string?[] Orgs = [null, "org-a", "org-b"];
    private static readonly string?[] Creators = [null, "user-1", "user-2"];

    private static IEnumerable<Package> AllCombinations()
    {
        var n = 0;
        foreach (var state in States)
        foreach (var isPrivate in new[] { false, true })
        foreach (var org in Orgs)
        foreach (var creator in Creators)
            yield return new Package
            {
                Id = $"p{n}", Name = $"p{n++}", State = state, Private = isPrivate, OwnerOrgId = org, CreatorUserId = creator,
            };
    }

    /// <summary>Ids of <see cref="AllCombinations"/>: p0 public, p9..p17 private (p12 org-a, p15 org-b, p9 neither), p20 draft, p45 deleted.</summary>
    private static readonly string[] Collaborations = ["p0", "p9", "p10", "p12", "p15", "p20", "p45"];

    private static readonly Dictionary<string, Visibility.Reader> Readers = new()
    {
        ["anonymous"] = Visibility.Reader.Anonymous,
        ["user-1 without organization"] = new(false, "user-1", []),
        ["user-1 reader of org-a"] = new(false, "user-1", ["org-a"]),
        ["user-2 reader of org-a and org-b"] = new(false, "user-2", ["org-b", "org-a"]),
        // Collaborations on datasets of every kind: public, private in an organization, private without one, draft, deleted.
        ["user-1 collaborator without organization"] = new(false, "user-1", [], Collaborations),
        ["user-2 reader of org-b and collaborator"] = new(false, "user-2", ["org-b"], Collaborations),
        ["sysadmin"] = new(true, "admin", []),
    };

    [Test]
    public void A_public_active_dataset_is_readable_by_all_and_others_only_through_their_labels()
    {
        var all = AllCombinations().ToList();
        Assert.Multiple(() =>
        {
            foreach (var p in all.Where(p => p.State == ObjectState.Active && !p.Private))
                Assert.That(Visibility.CanRead(Visibility.Reader.Anonymous, p), Is.True, p.Name);
            foreach (var p in all.Where(p => p.State != ObjectState.Active || p.Private))
            {
                Assert.That(Visibility.CanRead(Visibility.Reader.Anonymous, p), Is.False, p.Name);
                Assert.That(Visibility.CanRead(Readers["sysadmin"], p), Is.True, p.Name);
                var expected = p.OwnerOrgId is not null ? p.OwnerOrgId == "org-a" : p.CreatorUserId == "user-1";
                Assert.That(Visibility.CanRead(Readers["user-1 reader of org-a"], p), Is.EqualTo(expected), p.Name);
                // A collaborator reads the datasets they collaborate on, whatever their organization or creator.
                var asCollaborator = Collaborations.Contains(p.Id) || (p.OwnerOrgId is null && p.CreatorUserId == "user-1");
                Assert.That(Visibility.CanRead(Readers["user-1 collaborator without organization"], p), Is.EqualTo(asCollaborator), p.Name);
            }
        });
    }

    [Test]
    public async Task The_store_query_reads_exactly_what_the_single_dataset_rule_reads()
    {
        var file = Path.Combine(Path.GetTempPath(), "catalog-tests", $"visibility-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var options = new DbContextOptionsBuilder<SqliteCatalogDbContext>().UseSqlite($"Data Source={file};Pooling=false").Options;
        try
        {
            await using var db = new SqliteCatalogDbContext(options);
            await db.Database.EnsureCreatedAsync();
            foreach (var org in Orgs.OfType<string>())
                db.Groups.Add(new Group { Id = org, Name = org, IsOrganization = true, Type = "organization" });
            foreach (var user in Creators.OfType<string>())
                db.Users.Add(new User { Id = user, Name = user });
            var all = AllCombinations().ToList();
            db.Packages.AddRange(all);
            await db.SaveChangesAsync();

            Assert.Multiple(() =>
            {
                foreach (var (who, reader) in Readers)
                {
                    var byRule = all.Where(p => Visibility.CanRead(reader, p)).Select(p => p.Id).Order().ToList();
                    var byStore = Visibility.Readable(db.Packages, reader).Select(p => p.Id).AsEnumerable().Order().ToList();
                    Assert.That(byStore, Is.EqualTo(byRule), who);

                    var activeByRule = byRule.Where(id => all.Single(p => p.Id == id).State == ObjectState.Active);
                    var activeByStore = Visibility.ReadableActive(db, reader).Select(p => p.Id).AsEnumerable().Order();
                    Assert.That(activeByStore, Is.EqualTo(activeByRule), who + " (active)");
                }
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void The_index_finds_exactly_the_active_datasets_the_rule_reads()
    {
        var all = AllCombinations().ToList();
        // Deleted datasets are never indexed.
        using var index = new IndexHarness(all.Where(p => p.State != ObjectState.Deleted).Select(DictOf));
        Assert.Multiple(() =>
        {
            foreach (var (who, reader) in Readers)
            {
                var expected = all.Where(p => p.State == ObjectState.Active && Visibility.CanRead(reader, p))
                    .Select(p => p.Name).Order().ToList();
                var found = index.Search(new SearchRequest
                {
                    Rows = 1000,
                    Visibility = SearchVisibility.For(reader, includePrivate: true, includeDrafts: false),
                }).Results.Select(r => r.GetProperty("name").GetString()!).Order().ToList();
                Assert.That(found, Is.EqualTo(expected), who);
            }
        });
    }

    private static JsonObject DictOf(Package p) => new()
    {
        ["id"] = p.Id,
        ["name"] = p.Name,
        ["title"] = p.Name,
        ["state"] = p.State,
        ["private"] = p.Private,
        ["type"] = "dataset",
        ["owner_org"] = p.OwnerOrgId,
        ["creator_user_id"] = p.CreatorUserId,
        ["metadata_created"] = "2025-06-01T09:00:00.000000",
        ["metadata_modified"] = "2025-06-01T09:00:00.000000",
        ["tags"] = new JsonArray(),
        ["groups"] = new JsonArray(),
        ["resources"] = new JsonArray(),
        ["extras"] = new JsonArray(),
    };
}
