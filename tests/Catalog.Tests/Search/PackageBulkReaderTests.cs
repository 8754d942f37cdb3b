using Catalog.Core.Dictize;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Search;

/// <summary>
/// A rebuild reads the store with plain SQL (PackageBulkReader) rather than through EF Core: every dict it makes
/// must be the one package_show makes from the EF entities, over the seed catalog with deleted datasets and
/// resources, groups, extras, tags and private datasets, across page boundaries.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class PackageBulkReaderTests(TestStore store)
{
    [Test]
    public async Task Reads_every_live_dataset_as_ef_core_loads_it()
    {
        using var host = new CatalogHost(seed: true, store: store);
        using (var admin = host.Sysadmin())
        {
            var first = await admin.CallAsync("package_show", new { id = "240001_evacuation_space" });
            await admin.CallAsync("resource_delete", new { id = first!["resources"]![0]!["id"]!.GetValue<string>() });
            await admin.CallAsync("package_delete", new { id = "240001_aed" });
        }

        // Uploaded CSVs are loaded into the DataStore in the background, which marks their resources datastore_active
        // as it goes: compare once the seed's loading has settled, so both reads see the same store.
        List<string> expected = [], actual = [];
        var settleBy = DateTime.UtcNow.AddSeconds(60);
        do
        {
            if (expected.Count > 0) await Task.Delay(250);
            (expected, actual) = await ReadBothAsync(host);
        }
        while (!expected.SequenceEqual(actual) && DateTime.UtcNow < settleBy);

        Assert.That(expected, Has.Count.GreaterThan(50));
        Assert.That(expected.Any(d => d.Contains("\"private\":true")), "private datasets are read too");
        Assert.That(expected.Any(d => d.Contains("\"groups\":[{")), "datasets with groups are compared");
        Assert.That(actual, Is.EqualTo(expected));
    }

    private static async Task<(List<string> Expected, List<string> Actual)> ReadBothAsync(CatalogHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var dictizer = scope.ServiceProvider.GetRequiredService<PackageDictizer>();

        var entities = await db.Packages.AsNoTracking().WithDetails().Where(p => p.State != ObjectState.Deleted).ToListAsync();
        var groups = await PackageLookup.GroupsOfAsync(db, entities.Select(p => p.Id).ToList(), CancellationToken.None);
        var expected = entities.OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => dictizer.Dictize(p, groups.GetValueOrDefault(p.Id) ?? []).ToJsonString()).ToList();

        var reader = await PackageBulkReader.OpenAsync(db, CancellationToken.None);
        var actual = new List<string>();
        string? after = null;
        // A page size that does not divide the catalog: the last page is partial, and children straddle pages.
        while (reader.Page(after, 7, CancellationToken.None) is { Count: > 0 } page)
        {
            actual.AddRange(page.Select(x => dictizer.Dictize(x.Package, x.Groups).ToJsonString()));
            after = page[^1].Package.Id;
        }

        return (expected, actual);
    }
}
