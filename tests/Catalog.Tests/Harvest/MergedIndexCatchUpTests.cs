using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Catalog.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Harvest;

/// <summary>
/// The dispatcher's writes that do not wait for the search index (the harvester's): their catch-ups are merged, and
/// once <see cref="ActionDispatcher.DerivedCaughtUpAsync"/> returns every one of them is searchable. Writes that wait
/// (every other caller's) are searchable when they return, as before.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class MergedIndexCatchUpTests(TestStore store)
{
    [Test]
    public async Task Writes_not_waiting_for_the_index_are_searchable_once_the_catch_up_is_awaited()
    {
        using var host = new CatalogHost(store: store);
        var fixtures = new CatalogFixtures(host);
        var org = (await fixtures.OrganizationAsync(CatalogFixtures.Unique("merged")))["name"]!.GetValue<string>();
        var dispatcher = host.Services.GetRequiredService<ActionDispatcher>();
        Caller caller;
        await using (var scope = host.Services.CreateAsyncScope())
            caller = await SiteUser.EnsureAsync(scope.ServiceProvider.GetRequiredService<CatalogDbContext>(), TimeProvider.System);

        const int Writes = 24;
        await Parallel.ForEachAsync(Enumerable.Range(0, Writes), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, ct) =>
            await dispatcher.InvokeAsync("package_create", caller, Dataset($"merged-{i:00}", org), ct: ct, waitForDerived: false));
        await dispatcher.DerivedCaughtUpAsync();
        var admin = host.Sysadmin();
        var found = (await admin.CallAsync("package_search", new { q = "title:merged", fq = $"organization:{org}", rows = 100 }))!;
        Assert.That(found["count"]!.GetValue<int>(), Is.EqualTo(Writes), found.ToJsonString()[..Math.Min(400, found.ToJsonString().Length)]);

        await dispatcher.InvokeAsync("package_create", caller, Dataset("merged-waited", org));
        var waited = (await admin.CallAsync("package_search", new { fq = $"organization:{org}", rows = 100 }))!;
        Assert.That(waited["count"]!.GetValue<int>(), Is.EqualTo(Writes + 1));
    }

    private static JsonObject Dataset(string name, string org) => new()
    {
        ["name"] = name, ["title"] = $"merged {name}", ["owner_org"] = org, ["notes"] = "説明", ["license_id"] = "cc-by-40-intl",
    };
}
