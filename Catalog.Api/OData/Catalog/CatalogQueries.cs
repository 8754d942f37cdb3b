using Catalog.Api.ActionApi;
using Catalog.Core.Auth;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Api.OData.Catalog;

/// <summary>
/// The store queries behind each entity set, for one caller: datasets are Core's readable active datasets, and
/// resources and tags are only those reached from them, so nothing private leaks through a set or an expansion.
/// </summary>
public sealed class CatalogQueries(CatalogDbContext db, Visibility.Reader reader)
{
    public static async Task<CatalogQueries> ForAsync(HttpContext http, CatalogDbContext db)
    {
        var caller = await CallerResolution.ForRequestAsync(http);
        var reader = await Visibility.ReaderAsync(new Authorizer(caller, db), http.RequestAborted);
        return new CatalogQueries(db, reader);
    }

    private IQueryable<Package> Readable => Visibility.ReadableActive(db, reader).AsNoTracking();

    public IQueryable<DatasetWire> Datasets() => Readable.Select(p => new DatasetWire
    {
        Id = p.Id, Name = p.Name, Title = p.Title, Notes = p.Notes, Author = p.Author, Maintainer = p.Maintainer,
        LicenseId = p.LicenseId, Url = p.Url, Version = p.Version, Private = p.Private, OrganizationId = p.OwnerOrgId,
        MetadataCreated = p.MetadataCreated, MetadataModified = p.MetadataModified,
        Organization = p.OwnerOrg == null ? null : new OrganizationWire
        {
            Id = p.OwnerOrg.Id, Name = p.OwnerOrg.Name, Title = p.OwnerOrg.Title, Description = p.OwnerOrg.Description,
            ImageUrl = p.OwnerOrg.ImageUrl, Created = p.OwnerOrg.Created,
        },
        Resources = p.Resources.Where(r => r.State == ObjectState.Active).OrderBy(r => r.Position).Select(r => new ResourceWire
        {
            Id = r.Id, DatasetId = r.PackageId, Position = r.Position, Name = r.Name, Description = r.Description, Url = r.Url,
            Format = r.Format, Mimetype = r.Mimetype, Size = r.Size, DatastoreActive = r.DatastoreActive,
            Created = r.Created, LastModified = r.LastModified,
        }),
        Tags = p.Tags.Select(t => new TagWire { Id = t.Tag!.Id, Name = t.Tag.Name, VocabularyId = t.Tag.VocabularyId }),
    });

    public IQueryable<ResourceWire> Resources()
    {
        var readable = Readable.Select(p => p.Id);
        return db.Resources.AsNoTracking()
            .Where(r => r.State == ObjectState.Active && readable.Contains(r.PackageId))
            .Select(r => new ResourceWire
            {
                Id = r.Id, DatasetId = r.PackageId, Position = r.Position, Name = r.Name, Description = r.Description, Url = r.Url,
                Format = r.Format, Mimetype = r.Mimetype, Size = r.Size, DatastoreActive = r.DatastoreActive,
                Created = r.Created, LastModified = r.LastModified,
            });
    }

    public IQueryable<OrganizationWire> Organizations() => db.Groups.AsNoTracking()
        .Where(g => g.IsOrganization && g.State == ObjectState.Active)
        .Select(g => new OrganizationWire
        {
            Id = g.Id, Name = g.Name, Title = g.Title, Description = g.Description, ImageUrl = g.ImageUrl, Created = g.Created,
        });

    public IQueryable<GroupWire> Groups() => db.Groups.AsNoTracking()
        .Where(g => !g.IsOrganization && g.State == ObjectState.Active)
        .Select(g => new GroupWire
        {
            Id = g.Id, Name = g.Name, Title = g.Title, Description = g.Description, ImageUrl = g.ImageUrl, Created = g.Created,
        });

    public IQueryable<TagWire> Tags()
    {
        var readable = Readable.Select(p => p.Id);
        return db.Tags.AsNoTracking()
            .Where(t => db.PackageTags.Any(pt => pt.TagId == t.Id && readable.Contains(pt.PackageId)))
            .Select(t => new TagWire { Id = t.Id, Name = t.Name, VocabularyId = t.VocabularyId });
    }
}
