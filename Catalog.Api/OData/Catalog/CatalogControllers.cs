using Catalog.Core.Store;
using Microsoft.AspNetCore.OData.Routing.Controllers;

namespace Catalog.Api.OData.Catalog;

// One controller per entity set, as OData's routing conventions want; each answers its set for the caller, and
// the attribute applies the query options in the store.

public sealed class DatasetsController(CatalogDbContext db) : ODataController
{
    [CatalogQuery]
    public async Task<IQueryable<DatasetWire>> Get() => (await CatalogQueries.ForAsync(HttpContext, db)).Datasets();
}

public sealed class ResourcesController(CatalogDbContext db) : ODataController
{
    [CatalogQuery]
    public async Task<IQueryable<ResourceWire>> Get() => (await CatalogQueries.ForAsync(HttpContext, db)).Resources();
}

public sealed class OrganizationsController(CatalogDbContext db) : ODataController
{
    [CatalogQuery]
    public async Task<IQueryable<OrganizationWire>> Get() => (await CatalogQueries.ForAsync(HttpContext, db)).Organizations();
}

public sealed class GroupsController(CatalogDbContext db) : ODataController
{
    [CatalogQuery]
    public async Task<IQueryable<GroupWire>> Get() => (await CatalogQueries.ForAsync(HttpContext, db)).Groups();
}

public sealed class TagsController(CatalogDbContext db) : ODataController
{
    [CatalogQuery]
    public async Task<IQueryable<TagWire>> Get() => (await CatalogQueries.ForAsync(HttpContext, db)).Tags();
}
