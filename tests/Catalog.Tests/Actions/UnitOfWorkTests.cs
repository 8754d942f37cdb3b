using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Catalog.Store.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Actions;

/// <summary>
/// An action call gets its store context only when it touches the store: searches are answered from the index, and
/// making a context (with its options) for each of them was a tenth of a search's CPU over HTTP.
/// </summary>
public sealed class UnitOfWorkTests
{
    private CatalogHost _host = null!;
    private int _contexts;

    [OneTimeSetUp]
    public async Task Start()
    {
        // Registered last, so it is the one resolved: counts every context a call makes.
        _host = new CatalogHost(services: s => s.AddScoped(sp =>
        {
            Interlocked.Increment(ref _contexts);
            return (CatalogDbContext)new SqliteCatalogDbContext(sp.GetRequiredService<DbContextOptions<SqliteCatalogDbContext>>());
        }));
        var fixtures = new CatalogFixtures(_host);
        await fixtures.OrganizationAsync("uow-org", "津市");
        await fixtures.DatasetAsync("uow-dataset", "uow-org");
    }

    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private Task<JsonNode?> Anonymous(string action, JsonObject data) =>
        _host.Services.GetRequiredService<ActionDispatcher>().InvokeAsync(action, Caller.Anonymous, data);

    [Test]
    public async Task Searches_and_status_make_no_store_context()
    {
        JsonObject Search() => new() { ["q"] = "uow", ["facet.field"] = "[\"organization\"]" };
        // The first faceted search reads the organizations' titles, the first status_show the stored site options
        // (both kept in memory after).
        await Anonymous("package_search", Search());
        await Anonymous("status_show", new JsonObject());

        var before = Volatile.Read(ref _contexts);
        var found = await Anonymous("package_search", Search());
        await Anonymous("status_show", new JsonObject());
        await Anonymous("package_autocomplete", new JsonObject { ["q"] = "uow" });

        Assert.That(found!["count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(Volatile.Read(ref _contexts), Is.EqualTo(before));
    }

    [Test]
    public async Task Reads_and_writes_of_the_store_get_their_context_when_they_need_it()
    {
        var before = Volatile.Read(ref _contexts);
        var shown = await Anonymous("package_show", new JsonObject { ["id"] = "uow-dataset" });
        Assert.That(shown!["name"]!.GetValue<string>(), Is.EqualTo("uow-dataset"));
        Assert.That(Volatile.Read(ref _contexts), Is.GreaterThan(before));

        // A write through HTTP: authorised, committed in its own transaction, and found afterwards.
        await _host.Sysadmin().CallAsync("package_patch", new { id = "uow-dataset", title = "単位作業" });
        var patched = await Anonymous("package_show", new JsonObject { ["id"] = "uow-dataset" });
        Assert.That(patched!["title"]!.GetValue<string>(), Is.EqualTo("単位作業"));
    }

    [Test]
    public void Store_options_are_made_once_for_all_calls()
    {
        using var first = _host.Services.CreateScope();
        using var second = _host.Services.CreateScope();
        Assert.That(second.ServiceProvider.GetRequiredService<DbContextOptions<SqliteCatalogDbContext>>(),
            Is.SameAs(first.ServiceProvider.GetRequiredService<DbContextOptions<SqliteCatalogDbContext>>()));
    }
}
