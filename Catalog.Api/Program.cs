using Catalog.Api.ActionApi;
using Catalog.Api.DataStore;
using Catalog.Api.Dcat;
using Catalog.Api.Downloads;
using Catalog.Api.Exports;
using Catalog.Api.Health;
using Catalog.Api.Hosting;
using Catalog.Api.OData;
using Catalog.Api.OData.Catalog;
using Catalog.Core;
using Catalog.Core.DataStore;
using Catalog.Harvester;
using Catalog.Indexer;
using Catalog.Sync;
using Catalog.Web;
using Catalog.Staff;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddCatalogCore(builder.Configuration,
    actions => actions.AddSearchActions().AddDataStoreActions().AddHarvestActions().AddSyncActions());
builder.Services.AddCatalogStore(builder.Configuration);
builder.Services.AddCatalogDataStore(builder.Configuration);
builder.Services.AddCatalogSearch(builder.Configuration);
builder.Services.AddCatalogHarvester(builder.Configuration, runJobs: !CommandLineVerbs.IsVerb(args));
builder.Services.AddCatalogSync(builder.Configuration, runJobs: !CommandLineVerbs.IsVerb(args));
builder.Services.AddCatalogHosting(builder.Configuration);
builder.Services.AddCatalogHealth(builder.Configuration);
builder.Services.AddCatalogWeb(builder.Configuration);
builder.Services.AddCatalogStaff(builder.Configuration);
builder.Services.AddCatalogDcat(builder.Configuration);
builder.Services.AddCatalogExports(builder.Configuration, runSchedule: !CommandLineVerbs.IsVerb(args));
builder.Services.AddCatalogOData();

var app = builder.Build();
if (CommandLineVerbs.IsVerb(args)) return await CommandLineVerbs.RunAsync(app, args);
await app.InitializeCatalogAsync();
app.UseCatalogHttp();
app.UseRequestMetrics();
app.MapActionApi();
app.MapDownloads();
app.MapDataStore();
app.MapRowsOData();
app.MapCatalogHealth();
app.MapCatalogWeb();
app.MapCatalogStaff();
app.MapDcat();
app.MapExports();
app.MapCatalogOData();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host it.</summary>
public partial class Program;
