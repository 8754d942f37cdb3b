using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Health;

/// <summary>
/// Three nodes on one PostgreSQL store, each with its own index: writes spread over them by concurrent writers, and
/// every node's package_search ends up with exactly the store's datasets, without being written to itself.
/// </summary>
public sealed class MultiNodeTests
{
    private const int Nodes = 3;
    private const int Writers = 6;
    private const int DatasetsPerWriter = 5;

    [Test]
    public async Task Every_node_converges_to_the_store()
    {
        using var database = TestPostgresDatabase.Create();
        var hosts = new List<CatalogHost>();
        try
        {
            // One after another: the first migrates the new database.
            for (var i = 0; i < Nodes; i++)
                hosts.Add(new CatalogHost(store: TestStore.Postgres, postgresConnection: database.ConnectionString));
            using (var admin = hosts[0].Sysadmin())
                await admin.CallAsync("organization_create", new { name = "nodes-org" });

            await Task.WhenAll(Enumerable.Range(0, Writers).Select(async w =>
            {
                using var client = hosts[w % Nodes].Sysadmin();
                for (var j = 0; j < DatasetsPerWriter; j++)
                    await client.CallAsync("package_create", new { name = $"nodes-{w}-{j}", title = $"データ {w}-{j}", owner_org = "nodes-org" });
                await client.CallAsync("package_patch", new { id = $"nodes-{w}-1", title = "更新済み" });
                await client.CallAsync("package_delete", new { id = $"nodes-{w}-0" });
            }));

            List<string> expected;
            using (var scope = hosts[0].Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
                expected = await db.Packages.Where(p => p.State == "active").Select(p => p.Name).OrderBy(n => n).ToListAsync();
            }
            Assert.That(expected, Has.Count.EqualTo(Writers * (DatasetsPerWriter - 1)));

            foreach (var host in hosts)
            {
                using var anon = host.Client();
                var names = await ConvergedAsync(anon, expected);
                Assert.That(names, Is.EqualTo(expected), $"node on port {host.Port}");
                var patched = await anon.CallAsync("package_search", new { q = "title:更新済み", rows = 100 });
                Assert.That(patched!["count"]!.GetValue<int>(), Is.EqualTo(Writers));
            }
        }
        finally
        {
            foreach (var host in hosts) host.Dispose();
        }
    }

    /// <summary>The node's search results once they equal <paramref name="expected"/>, or the last seen after a while.</summary>
    private static async Task<List<string>> ConvergedAsync(CkanClient client, List<string> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var found = await client.CallAsync("package_search", new { q = "*:*", rows = 1000 });
            var names = found!["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
            if (names.SequenceEqual(expected) || DateTime.UtcNow > deadline) return names;
            await Task.Delay(100);
        }
    }
}
