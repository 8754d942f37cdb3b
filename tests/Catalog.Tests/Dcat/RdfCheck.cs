using System.Diagnostics;
using System.Text.Json.Nodes;
using Catalog.Tests.Harvest;

namespace Catalog.Tests.Dcat;

/// <summary>The report of tests/tools/rdf/rdfcheck.py: rdflib's reading of one or more documents.</summary>
public sealed record RdfReport(IReadOnlyList<int> Triples, bool Isomorphic, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// <summary>
/// Runs rdflib (Debian's python3-rdflib, installed by test.sh) on documents the catalog served: a real RDF parser,
/// not ours, decides whether they are RDF and whether two serialisations are one graph.
/// </summary>
public static class RdfCheck
{
    public const string Prefixes = """
        PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
        PREFIX spdx: <http://spdx.org/rdf/terms#>
        PREFIX hydra: <http://www.w3.org/ns/hydra/core#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

        """;

    private static string Python() => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Parses each (rdflib format, text) document; <paramref name="query"/> (SPARQL, prefixes added) runs on the first.</summary>
    public static async Task<RdfReport> RunAsync(IEnumerable<(string Format, string Text)> documents, string? query = null)
    {
        var dir = Directory.CreateTempSubdirectory("rdfcheck-");
        try
        {
            var start = new ProcessStartInfo(Python())
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(TestSite.RepoRoot(), "tests", "tools", "rdf", "rdfcheck.py"));
            if (query is not null)
            {
                start.ArgumentList.Add("--query");
                start.ArgumentList.Add(Prefixes + query);
            }
            var i = 0;
            foreach (var (format, text) in documents)
            {
                var path = Path.Combine(dir.FullName, $"doc{i++}");
                await File.WriteAllTextAsync(path, text);
                start.ArgumentList.Add($"{format}={path}");
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                Assert.Fail($"rdflib could not read the documents (exit {process.ExitCode}):\n{await stderr}");
            var json = JsonNode.Parse(await stdout)!;
            return new RdfReport(
                json["triples"]!.AsArray().Select(n => n!.GetValue<int>()).ToList(),
                json["isomorphic"]!.GetValue<bool>(),
                json["rows"]!.AsArray().Select(r => (IReadOnlyList<string?>)r!.AsArray().Select(v => v?.GetValue<string>()).ToList()).ToList());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    public static string RdflibFormat(string extension) => extension switch
    {
        "ttl" => "turtle",
        "jsonld" => "json-ld",
        _ => "xml",
    };
}
