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
}
