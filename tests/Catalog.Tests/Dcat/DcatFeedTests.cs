using System.Net;
using System.Text.Json.Nodes;
using Catalog.Api.Dcat;
using Catalog.Tests.Infrastructure;

namespace Catalog.Tests.Dcat;

/// <summary>
/// The DCAT feeds read by a real RDF parser (rdflib): every serialisation parses, Turtle, JSON-LD and RDF/XML of
/// one document are the same graph, the mapping carries what DCAT-AP asks, private datasets never appear and the
/// Hydra links walk the catalog exactly once.
/// </summary>
public sealed class DcatFeedTests : CatalogApiTests
{
    private const string Org = "dcat-feed-org";
    private const int PlainCount = 205;
    private static readonly string[] Extensions = ["ttl", "rdf", "xml", "jsonld"];

    private JsonObject _rich = null!;
    private readonly HashSet<string> _public = [];

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync(Org, "三重県 デジタル推進局");
        _rich = await DcatSamples.RichDatasetAsync(Fixtures, "dcat-rich", Org);
        _public.Add(_rich["id"]!.GetValue<string>());
        await Fixtures.DatasetAsync("dcat-secret", Org, isPrivate: true, extra: new { title = "非公開の DCAT" });
        for (var i = 0; i < PlainCount; i += 8)
        {
            var batch = Enumerable.Range(i, Math.Min(8, PlainCount - i))
                .Select(n => Fixtures.DatasetAsync($"dcat-plain-{n:D3}", Org, extra: new { title = $"一般データ {n}" }));
            foreach (var d in await Task.WhenAll(batch)) _public.Add(d["id"]!.GetValue<string>());
        }
    }

    private async Task<(HttpStatusCode Status, string Body, string? Type)> GetAsync(string path)
    {
        using var response = await Anon.Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<List<(string Format, string Text)>> AllFormatsAsync(string pathWithoutExtension, string query = "")
    {
        var documents = new List<(string, string)>();
        foreach (var ext in Extensions)
        {
            var (status, body, type) = await GetAsync($"{pathWithoutExtension}.{ext}{query}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"{ext}: {body}");
            Assert.That(type, Is.EqualTo(ext switch
            {
                "ttl" => "text/turtle", "jsonld" => "application/ld+json", _ => "application/rdf+xml",
            }));
            // A catalog page's Hydra links name the page in its own format; all else must be equal.
            documents.Add((RdfCheck.RdflibFormat(ext), body.Replace($"{pathWithoutExtension}.{ext}?", $"{pathWithoutExtension}.ttl?")));
        }
        return documents;
    }

    [Test]
    public async Task A_dataset_in_every_format_is_one_graph_by_id_and_by_name()
    {
        var byName = await AllFormatsAsync("/dataset/dcat-rich");
        var report = await RdfCheck.RunAsync(byName);
        Assert.That(report.Isomorphic, Is.True, "Turtle, RDF/XML and JSON-LD must give the same graph");
        Assert.That(report.Triples[0], Is.GreaterThan(40));
        var byId = await AllFormatsAsync($"/dataset/{_rich["id"]}");
        var both = await RdfCheck.RunAsync([byName[0], byId[0], byId[3]]);
        Assert.That(both.Isomorphic, Is.True);
    }

    [Test]
    public async Task The_mapping_carries_what_DCAT_AP_asks()
    {
        var (_, ttl, _) = await GetAsync("/dataset/dcat-rich.ttl");
        var id = _rich["id"]!.GetValue<string>();
        async Task<IReadOnlyList<IReadOnlyList<string?>>> Rows(string sparql) =>
            (await RdfCheck.RunAsync([("turtle", ttl)], sparql)).Rows;

        var ds = $"<{Host.BaseUrl}/dataset/{id}>";
        var title = await Rows($"SELECT ?t (lang(?t) AS ?l) WHERE {{ {ds} a dcat:Dataset ; dct:title ?t }}");
        Assert.That(title, Is.EqualTo(new[] { new[] { _rich["title"]!.GetValue<string>(), "ja" } }));
        var notes = await Rows($"SELECT ?d WHERE {{ {ds} dct:description ?d }}");
        Assert.That(notes[0][0], Is.EqualTo(_rich["notes"]!.GetValue<string>()));
        var keywords = await Rows($"SELECT ?k WHERE {{ {ds} dcat:keyword ?k }} ORDER BY ?k");
        Assert.That(keywords.Select(r => r[0]), Is.EqualTo(new[] { "statistics", "人口" }));
        var dated = await Rows($"SELECT ?i ?m WHERE {{ {ds} dct:issued ?i ; dct:modified ?m }}");
        Assert.That(dated[0][0], Is.EqualTo("2024-04-01"));
        var frequency = await Rows($"SELECT ?f WHERE {{ {ds} dct:accrualPeriodicity ?f }}");
        Assert.That(frequency[0][0], Is.EqualTo("http://publications.europa.eu/resource/authority/frequency/ANNUAL"));
        var publisher = await Rows($"SELECT ?n ?c WHERE {{ {ds} dct:publisher ?p . ?p a foaf:Agent ; foaf:name ?n ; dct:identifier ?c }}");
        Assert.That(publisher, Is.EqualTo(new[] { new[] { "三重県 デジタル推進局", "240001" } }));
        var contact = await Rows($"SELECT ?n ?e WHERE {{ {ds} dcat:contactPoint ?c . ?c vcard:fn ?n ; vcard:hasEmail ?e }}");
        Assert.That(contact, Is.EqualTo(new[] { new[] { "統計課", "mailto:toukei@pref.mie.lg.jp" } }));
        var landing = await Rows($"SELECT ?p WHERE {{ {ds} dcat:landingPage ?p }}");
        Assert.That(landing[0][0], Is.EqualTo("https://www.pref.mie.lg.jp/TOPICS/m0001.htm"));
        var period = await Rows($"SELECT ?s ?e WHERE {{ {ds} dct:temporal ?t . ?t dcat:startDate ?s ; dcat:endDate ?e }}");
        Assert.That(period, Is.EqualTo(new[] { new[] { "2023-04-01", "2024-03-31" } }));
        var spatial = await Rows($"SELECT ?l WHERE {{ {ds} dct:spatial ?s . ?s skos:prefLabel ?l }}");
        Assert.That(spatial[0][0], Is.EqualTo("三重県"));

        var csv = await Rows($$"""
            SELECT ?access ?license ?format ?media ?size ?algo ?sum ?enc WHERE {
              {{ds}} dcat:distribution ?d . ?d dct:title "人口 CSV"@ja ; dcat:accessURL ?access ; dct:license ?license ;
                dct:format ?format ; dcat:mediaType ?media ; dcat:byteSize ?size ;
                spdx:checksum [ spdx:algorithm ?algo ; spdx:checksumValue ?sum ] ;
                <http://www.w3.org/2011/content#characterEncoding> ?enc }
            """);
        Assert.That(csv, Is.EqualTo(new[]
        {
            new[]
            {
                "https://example.org/data/population.csv", _rich["license_url"]!.GetValue<string>(),
                "http://publications.europa.eu/resource/authority/file-type/CSV",
                "http://www.iana.org/assignments/media-types/text/csv", "12345",
                "http://spdx.org/rdf/terms#checksumAlgorithm_sha256", DcatSamples.Hash, "Shift_JIS",
            },
        }));
        // The licence is on every distribution, not only on the dataset.
        var unlicensed = await Rows($"SELECT ?d WHERE {{ {ds} dcat:distribution ?d FILTER NOT EXISTS {{ ?d dct:license ?l }} }}");
        Assert.That(unlicensed, Is.Empty);
        var page = await Rows($"SELECT ?a WHERE {{ {ds} dcat:distribution ?d . ?d dct:title \"ページ\"@ja ; dcat:accessURL ?a }}");
        Assert.That(page[0][0], Does.StartWith("https://example.org/data/population%20page.html?a=1&b=%3C2%3E"));
    }

    [Test]
    public async Task A_catalog_page_in_every_format_is_one_graph()
    {
        var report = await RdfCheck.RunAsync(await AllFormatsAsync("/catalog"));
        Assert.That(report.Isomorphic, Is.True);
        var filtered = await RdfCheck.RunAsync(await AllFormatsAsync("/catalog", "?q=name:dcat-rich"));
        Assert.That(filtered.Isomorphic, Is.True);
    }

    [Test]
    public async Task Hydra_paging_walks_the_whole_catalog_exactly_once()
    {
        var seen = new List<string>();
        string? next = $"{Host.BaseUrl}/catalog.ttl";
        var pages = 0;
        while (next is not null)
        {
            Assert.That(next, Does.StartWith(Host.BaseUrl));
            var (status, body, _) = await GetAsync(next[Host.BaseUrl.Length..]);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            var rows = (await RdfCheck.RunAsync([("turtle", body)], """
                SELECT ?ds ?next ?total ?per ?first ?last WHERE {
                  { ?c a dcat:Catalog ; dcat:dataset ?ds }
                  UNION { ?p a hydra:PagedCollection ; hydra:totalItems ?total ; hydra:itemsPerPage ?per ;
                          hydra:first ?first ; hydra:last ?last ; hydra:firstPage ?first ; hydra:lastPage ?last
                          OPTIONAL { ?p hydra:next ?next ; hydra:nextPage ?next } } }
                """)).Rows;
            var paging = rows.Single(r => r[2] is not null);
            Assert.That(paging[2], Is.EqualTo((_public.Count).ToString()));
            Assert.That(paging[3], Is.EqualTo(DcatEndpoints.PerPage.ToString()));
            Assert.That(paging[4], Is.EqualTo($"{Host.BaseUrl}/catalog.ttl?page=1"));
            Assert.That(paging[5], Is.EqualTo($"{Host.BaseUrl}/catalog.ttl?page=3"));
            var datasets = rows.Where(r => r[0] is not null).Select(r => r[0]!).ToList();
            Assert.That(datasets, Has.Count.LessThanOrEqualTo(DcatEndpoints.PerPage));
            seen.AddRange(datasets);
            next = paging[1];
            Assert.That(++pages, Is.LessThanOrEqualTo(3));
        }
        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Is.Unique);
        Assert.That(seen, Is.EquivalentTo(_public.Select(id => $"{Host.BaseUrl}/dataset/{id}")));
    }

    [Test]
    public async Task Private_datasets_never_appear()
    {
        foreach (var ext in Extensions)
        {
            var (status, body, _) = await GetAsync($"/dataset/dcat-secret.{ext}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(body, Does.Not.Contain("非公開"));
        }
        foreach (var query in new[] { "", "?q=name:dcat-secret", "?fq=name:dcat-secret", "?q=非公開", "?page=2", "?page=3" })
        {
            var (status, body, _) = await GetAsync($"/catalog.ttl{query}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body, Does.Not.Contain("dcat-secret").And.Not.Contain("非公開"));
        }
    }

    [Test]
    public async Task Modified_since_keeps_only_later_changes()
    {
        var (_, old, _) = await GetAsync("/catalog.ttl?modified_since=2000-01-01");
        Assert.That(old, Does.Contain($"\"{_public.Count}\"^^xsd:integer"));
        var (status, future, _) = await GetAsync("/catalog.ttl?modified_since=2999-01-01T00:00:00Z");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var rows = (await RdfCheck.RunAsync([("turtle", future)], "SELECT ?d WHERE { ?c dcat:dataset ?d }")).Rows;
        Assert.That(rows, Is.Empty);
        Assert.That(future, Does.Not.Contain("hydra:PagedCollection"));
    }

    [TestCase("/catalog.ttl?page=0")]
    [TestCase("/catalog.ttl?page=-1")]
    [TestCase("/catalog.ttl?page=abc")]
    [TestCase("/catalog.ttl?page=99999999999")]
    [TestCase("/catalog.jsonld?modified_since=yesterday")]
    [TestCase("/catalog.rdf?fq=name:(unclosed")]
    [TestCase("/catalog.rdf?q=title:\"unclosed")]
    public async Task Bad_parameters_are_a_409_never_a_500(string path)
    {
        var (status, body, _) = await GetAsync(path);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict), body);
    }

    [Test]
    public async Task Unknown_datasets_and_formats_are_not_found()
    {
        Assert.That((await GetAsync("/dataset/no-such-dataset.ttl")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await GetAsync("/dataset/dcat-rich.exe")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await GetAsync("/catalog.n4")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void Alternate_links_name_every_media_type()
    {
        var links = DcatUrls.Alternates("dcat-rich");
        Assert.That(links, Is.EqualTo(new[]
        {
            ("/dataset/dcat-rich.rdf", "application/rdf+xml"), ("/dataset/dcat-rich.ttl", "text/turtle"),
            ("/dataset/dcat-rich.jsonld", "application/ld+json"),
        }));
    }
}
