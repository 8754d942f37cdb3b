using System.Diagnostics;

namespace Catalog.Tests.Hosting;

/// <summary>The maintenance verb runs the real program on a stopped catalog's data folder.</summary>
public sealed class CommandLineVerbTests
{
    [Test]
    public async Task Search_index_rebuild_restores_a_deleted_index_with_progress()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Catalog:DataDir"] = dataDir };
        try
        {
            using (var host = new CatalogHost(seed: true, settings: settings)) { }
            Directory.Delete(Path.Combine(dataDir, "index"), recursive: true);

            var start = new ProcessStartInfo("dotnet", ["Catalog.Api.dll", "search-index", "rebuild"])
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["Catalog__DataDir"] = dataDir;
            start.Environment["Catalog__Seed"] = "false";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

            Assert.That(process.ExitCode, Is.EqualTo(0), await stderr);
            Assert.That(await stdout, Does.Match(@"Indexed (\d+) datasets"));
            Assert.That(await stderr, Does.Contain("[########################################]"));

            using var again = new CatalogHost(settings: settings);
            var found = (await again.Sysadmin().CallAsync("package_search", new { rows = 0, include_private = true }))!;
            var indexed = int.Parse(System.Text.RegularExpressions.Regex.Match(await stdout, @"Indexed (\d+)").Groups[1].Value);
            Assert.That(found["count"]!.GetValue<int>(), Is.EqualTo(indexed).And.GreaterThanOrEqualTo(40));
        }
        finally
        {
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }

    [Test]
    public async Task Store_copy_moves_a_sqlite_catalog_into_postgres_where_it_goes_on()
    {
        using var database = TestPostgresDatabase.Create();
        var dataDir = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Catalog:DataDir"] = dataDir };
        try
        {
            int before;
            using (var host = new CatalogHost(seed: true, settings: settings))
                before = (await host.Sysadmin().CallAsync("package_search", new { rows = 0, include_private = true }))!["count"]!.GetValue<int>();

            var start = new ProcessStartInfo("dotnet", ["Catalog.Api.dll", "store", "copy", "--to-postgres", database.ConnectionString])
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["Catalog__DataDir"] = dataDir;
            start.Environment["Catalog__Seed"] = "false";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.That(process.ExitCode, Is.EqualTo(0), await stderr);
            Assert.That(await stdout, Does.Contain("package: ").And.Contain("Indexed"));

            using var moved = new CatalogHost(settings: settings, store: TestStore.Postgres, postgresConnection: database.ConnectionString);
            var admin = moved.Sysadmin();
            var found = (await admin.CallAsync("package_search", new { rows = 0, include_private = true }))!;
            Assert.That(found["count"]!.GetValue<int>(), Is.EqualTo(before).And.GreaterThanOrEqualTo(40));
            // The feed goes on after the copied changes: a new write is followed into the index.
            var org = (await admin.CallAsync("organization_list"))!.AsArray()[0]!.GetValue<string>();
            await admin.CallAsync("package_create", new { name = "after-the-copy", owner_org = org });
            var after = (await admin.CallAsync("package_search", new { q = "name:after-the-copy" }))!;
            Assert.That(after["count"]!.GetValue<int>(), Is.EqualTo(1));
        }
        finally
        {
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }
}
