using System.Net;
using System.Text.Json.Nodes;
using Catalog.Tests.Infrastructure;

namespace Catalog.Tests.Dcat;

/// <summary>
/// The catalog and its datasets against the official DCAT-AP 3 shapes (mandatory, ranges, recommended), checked by a
/// real SHACL validator: no violation; warnings of the recommended shapes are printed, not failed.
/// </summary>
public sealed class DcatShaclTests : CatalogApiTests
{
    private const string Org = "dcat-shacl-org";

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync(Org, "三重県 デジタル推進局");
        await Fixtures.GroupAsync("dcat-shacl-group", "人口・世帯");
        await DcatSamples.RichDatasetAsync(Fixtures, "dcat-shacl-rich", Org);
        await Fixtures.DatasetAsync("dcat-shacl-plain", Org, extra: new { groups = new[] { new { name = "dcat-shacl-group" } } });
        await Fixtures.DatasetAsync("dcat-shacl-bare", Org, extra: new { notes = "", resources = new[] { new { url = "" } } });
        await Fixtures.DatasetAsync("dcat-shacl-private", Org, isPrivate: true);
    }

    private async Task<JsonArray> ValidateAsync(string path)
    {
        using var response = await Anon.Http.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await ShaclCheck.ValidateAsync(await response.Content.ReadAsStringAsync());
    }

    private static void AssertNoViolation(JsonArray results)
    {
        var violations = results.Where(r => r!["severity"]!.GetValue<string>() == "http://www.w3.org/ns/shacl#Violation").ToList();
        foreach (var w in results.Except(violations)) TestContext.Out.WriteLine($"warning: {w!.ToJsonString()}");
        Assert.That(violations.Select(v => v!.ToJsonString()), Is.Empty);
    }

    [Test]
    public async Task The_catalog_has_no_violation() => AssertNoViolation(await ValidateAsync("/catalog.ttl"));

    [TestCase("dcat-shacl-rich")]
    [TestCase("dcat-shacl-plain")]
    [TestCase("dcat-shacl-bare")]
    public async Task Each_dataset_has_no_violation(string name) => AssertNoViolation(await ValidateAsync($"/dataset/{name}.ttl"));

    [Test]
    public async Task The_validator_does_report_a_violation()
    {
        // The same catalog with every dct:description removed: DCAT-AP 3 makes it mandatory on a dataset.
        using var response = await Anon.Http.GetAsync("/dataset/dcat-shacl-plain.ttl");
        var turtle = string.Join('\n', (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(l => !l.TrimStart().StartsWith("dct:description", StringComparison.Ordinal)));
        var results = await ShaclCheck.ValidateAsync(turtle);
        Assert.That(results.Select(r => r!["path"]?.GetValue<string>()), Does.Contain("http://purl.org/dc/terms/description"));
    }
}
