using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Api.Exports;
using Catalog.Tests.Dcat;
using Catalog.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Exports;

/// <summary>
/// The export bundle written by the real writer into the host's data folder and served at /exports/: every public
/// dataset once, no private one, Turtle that rdflib reads, a CSV with a BOM and Japanese headers; only the fixed
/// names are served.
/// </summary>
public sealed class ExportTests : CatalogApiTests
{
    private const string Org = "export-org";
    private readonly HashSet<string> _public = [];

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync(Org, "三重県 統計課");
        _public.Add((await DcatSamples.RichDatasetAsync(Fixtures, "export-rich", Org))["name"]!.GetValue<string>());
        for (var i = 0; i < 105; i++)
            _public.Add((await Fixtures.DatasetAsync($"export-plain-{i:D3}", Org, extra: new { notes = i == 0 ? "=HYPERLINK(\"http://evil\")" : "説明" }))["name"]!.GetValue<string>());
        await Fixtures.DatasetAsync("export-secret", Org, isPrivate: true, extra: new { title = "非公開の書き出し" });
        var count = await Host.Services.GetRequiredService<ExportWriter>().RunAsync();
        Assert.That(count, Is.EqualTo(_public.Count));
    }

    private async Task<(HttpStatusCode Status, byte[] Body, string? Type)> GetAsync(string path)
    {
        using var response = await Anon.Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.ToString());
    }

    [Test]
    public async Task The_jsonl_dump_holds_every_public_dataset_once_as_package_show_shows_it()
    {
        var (status, body, type) = await GetAsync("/exports/datasets.jsonl");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(type, Does.StartWith("application/jsonl"));
        var lines = Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var dicts = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.That(dicts.Select(d => d["name"]!.GetValue<string>()), Is.EquivalentTo(_public));
        Assert.That(Encoding.UTF8.GetString(body), Does.Not.Contain("export-secret").And.Not.Contain("非公開"));
        var rich = dicts.Single(d => d["name"]!.GetValue<string>() == "export-rich");
        var shown = (await Anon.CallAsync("package_show", new { id = "export-rich" }))!.AsObject();
        Assert.That(JsonNode.DeepEquals(rich, shown), Is.True, "a dump line is the package_show dict");
        Assert.That(rich.Select(kv => kv.Key), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [Test]
    public async Task The_turtle_catalog_parses_and_lists_every_public_dataset()
    {
        var (status, body, type) = await GetAsync("/exports/catalog.ttl");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(type, Does.StartWith("text/turtle"));
        var rows = (await RdfCheck.RunAsync([("turtle", Encoding.UTF8.GetString(body))],
            "SELECT ?d WHERE { ?c a dcat:Catalog ; dcat:dataset ?d }")).Rows;
        Assert.That(rows, Has.Count.EqualTo(_public.Count));
        Assert.That(rows.Select(r => r[0]), Is.Unique);
    }

    [Test]
    public async Task The_csv_has_a_bom_japanese_headers_and_defused_formulas()
    {
        var (status, body, type) = await GetAsync("/exports/datasets.csv");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(type, Does.StartWith("text/csv"));
        Assert.That(body.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
        var text = Encoding.UTF8.GetString(body, 3, body.Length - 3);
        Assert.That(text, Does.StartWith("ID,名前,タイトル,説明,組織,タグ,ライセンス,更新頻度"));
        Assert.That(text, Does.Contain("\"'=HYPERLINK(\"\"http://evil\"\")\""));
        Assert.That(text, Does.Not.Contain("export-secret"));
        // The rich dataset's title holds a quote and a line break: one quoted cell, doubled quotes.
        Assert.That(text, Does.Contain("\"人口統計 \"\"速報\"\" <2024> & \\ 改行\nあり 🎌\""));
    }

    [TestCase("/exports/../exports/datasets.csv")]
    [TestCase("/exports/%2e%2e%2fapp.db")]
    [TestCase("/exports/..%2Fcatalog.db")]
    [TestCase("/exports/.datasets.csv.tmp")]
    [TestCase("/exports/DATASETS.CSV")]
    [TestCase("/exports/datasets.csv%00")]
    [TestCase("/exports/")]
    public async Task Only_the_fixed_names_are_served(string path)
    {
        var (status, _, _) = await GetAsync(path);
        // A client may normalise "/../" itself and land on the real file; a NUL is refused by the server itself;
        // anything else is not found.
        if (path.Contains("/../")) Assert.That(status, Is.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.NotFound));
        else if (path.Contains("%00")) Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest).Or.EqualTo(HttpStatusCode.NotFound));
        else Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void No_temporary_file_is_left_behind()
    {
        var files = Directory.GetFiles(Path.Combine(Host.DataDir, "exports")).Select(Path.GetFileName);
        Assert.That(files, Is.EquivalentTo(new[] { "datasets.jsonl", "catalog.ttl", "datasets.csv" }));
    }

    [TestCase("MANUAL", true)]
    [TestCase("0 3 * * *", true)]
    [TestCase("every night", false)]
    [TestCase("61 * * * *", false)]
    public void The_schedule_is_manual_or_cron(string schedule, bool valid)
    {
        var options = new ExportOptions { Schedule = schedule };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        Assert.That(errors, valid ? Is.Empty : Has.Count.EqualTo(1));
    }
}

/// <summary><c>export run</c> writes the bundle from the real program on a stopped catalog's data folder.</summary>
public sealed class ExportVerbTests
{
    [Test]
    public async Task Export_run_writes_the_bundle()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Catalog:DataDir"] = dataDir };
        try
        {
            using (var host = new CatalogHost(settings: settings))
            {
                await new CatalogFixtures(host).OrganizationAsync("verb-org");
                await new CatalogFixtures(host).DatasetAsync("verb-public", "verb-org");
                await new CatalogFixtures(host).DatasetAsync("verb-private", "verb-org", isPrivate: true);
            }
            var start = new ProcessStartInfo("dotnet", ["Catalog.Api.dll", "export", "run"])
            {
                WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment["Catalog__DataDir"] = dataDir;
            start.Environment["Catalog__Seed"] = "false";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.That(process.ExitCode, Is.EqualTo(0), await stderr);
            Assert.That(await stdout, Does.Contain("Exported 1 datasets."));
            Assert.That(await stderr, Does.Contain("datasets.jsonl: 1 datasets"));
            var jsonl = await File.ReadAllTextAsync(Path.Combine(dataDir, "exports", "datasets.jsonl"));
            Assert.That(jsonl, Does.Contain("\"name\":\"verb-public\"").And.Not.Contain("verb-private"));
        }
        finally
        {
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }
}
