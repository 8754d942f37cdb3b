using System.Diagnostics;
using System.Text.Json.Nodes;
using Catalog.Tests.Harvest;

namespace Catalog.Tests.Dcat;

/// <summary>
/// Runs rdf-validate-shacl (tests/tools/shacl, installed by test.sh with <c>npm ci</c>) on a Turtle document with the
/// DCAT-AP 3 shapes copied into tests/tools/shacl/shapes; returns the validation results.
/// </summary>
public static class ShaclCheck
{
    public static readonly string[] Shapes = ["shapes.ttl", "range.ttl", "shapes_recommended.ttl"];

    public static async Task<JsonArray> ValidateAsync(string turtle)
    {
        var tool = Path.Combine(TestSite.RepoRoot(), "tests", "tools", "shacl");
        if (!Directory.Exists(Path.Combine(tool, "node_modules")))
            Assert.Fail("tests/tools/shacl has no node_modules: run `npm ci` there (test.sh does)");
        var data = Path.Combine(Path.GetTempPath(), $"shacl-{Guid.NewGuid():N}.ttl");
        await File.WriteAllTextAsync(data, turtle);
        try
        {
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            start.ArgumentList.Add("validate.mjs");
            start.ArgumentList.Add(data);
            foreach (var shapes in Shapes) start.ArgumentList.Add(Path.Combine(tool, "shapes", shapes));
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) Assert.Fail($"the SHACL validator failed (exit {process.ExitCode}):\n{await stderr}");
            return JsonNode.Parse(await stdout)!["results"]!.AsArray();
        }
        finally
        {
            File.Delete(data);
        }
    }
}
