using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Catalog.Store.Postgres;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Tests.Seeding;

/// <summary>
/// Nodes starting together on one PostgreSQL store: each makes sure of the bootstrap sysadmin (and jobs of the site
/// user) at the same moment, and none fails for it; one account and one token come out.
/// </summary>
public sealed class BootstrapRaceTests
{
    private const int Racers = 8;
    private const int Rounds = 6;

    [Test]
    public async Task Starts_racing_for_the_bootstrap_sysadmin_all_succeed_with_one_account_and_one_token()
    {
        using var database = TestPostgresDatabase.Create();
        await using (var db = Context(database)) await db.PrepareAsync();

        for (var round = 0; round < Rounds; round++)
        {
            await using (var db = Context(database))
            {
                await db.ApiTokens.ExecuteDeleteAsync();
                await db.Users.ExecuteDeleteAsync();
            }
            // The same moment for all: each racer waits at the gate with its connection open.
            using var gate = new Barrier(Racers);
            await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Run(async () =>
            {
                await using var db = Context(database);
                await db.Database.OpenConnectionAsync();
                gate.SignalAndWait();
                await SysadminBootstrap.EnsureAsync(db, CatalogHost.SysadminToken, TimeProvider.System);
                await SiteUser.EnsureAsync(db, TimeProvider.System);
            })));

            await using var check = Context(database);
            Assert.That(await check.Users.CountAsync(u => u.Name == SysadminBootstrap.UserName && u.Sysadmin), Is.EqualTo(1), $"round {round}");
            Assert.That(await check.Users.CountAsync(u => u.Name == SiteUser.Name), Is.EqualTo(1), $"round {round}");
            Assert.That(await check.ApiTokens.CountAsync(t => t.Name == SysadminBootstrap.TokenName), Is.EqualTo(1), $"round {round}");
        }
    }

    [Test]
    public async Task Two_nodes_starting_at_once_on_a_new_store_both_come_up_and_answer_the_bootstrap_token()
    {
        using var database = TestPostgresDatabase.Create();
        var root = CatalogHost.NewDataDir();
        Dictionary<string, string?> Settings(string node) => new()
        {
            ["Catalog:DataDir"] = Path.Combine(root, node),
            ["Catalog:Files:Dir"] = Path.Combine(root, "files"),
            ["Catalog:Seed"] = "false",
            ["Catalog:SysadminToken"] = CatalogHost.SysadminToken,
            ["Catalog:Database:Provider"] = "Postgres",
            ["Catalog:Database:ConnectionString"] = database.ConnectionString,
        };
        var starts = new[] { "node-a", "node-b" }.Select(n => CatalogNodeProcess.StartAsync(n, Settings(n))).ToList();
        try
        {
            var nodes = await Task.WhenAll(starts);
            foreach (var node in nodes)
            {
                using var admin = node.Sysadmin();
                var me = await admin.CallAsync("user_show", new { id = SysadminBootstrap.UserName });
                Assert.That(me!["sysadmin"]!.GetValue<bool>(), Is.True, node.Name);
            }
            await using var check = Context(database);
            Assert.That(await check.Users.CountAsync(u => u.Name == SysadminBootstrap.UserName), Is.EqualTo(1));
            Assert.That(await check.ApiTokens.CountAsync(t => t.Name == SysadminBootstrap.TokenName), Is.EqualTo(1));
        }
        finally
        {
            foreach (var start in starts)
                if (start.IsCompletedSuccessfully) start.Result.Dispose();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static PostgresCatalogDbContext Context(TestPostgresDatabase database) =>
        new(new DbContextOptionsBuilder<PostgresCatalogDbContext>().UseNpgsql(database.ConnectionString).Options);
}
