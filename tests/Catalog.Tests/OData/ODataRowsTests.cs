using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace Catalog.Tests.OData;

/// <summary>A resource's rows as an OData v4 service, read with OData's own CSDL and JSON readers.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class ODataRowsTests(TestStore store) : CatalogApiTests(store)
{
    private readonly string _org = CatalogFixtures.Unique("od-org");
    private string _resourceId = null!;
    private string _bigId = null!;
    private string _privateId = null!;

    private const string Table = """
        施設一覧,,,,
        名称,収容人数,開設日,面積（㎡）,屋内
        津市指定避難所 一身田小学校,"1,200",令和5年4月1日,123.5,true
        鈴鹿市避難所 白子公民館,350,2023/05/01,88,false
        伊勢市 防災倉庫,12,2019-04-30,0.5,true
        """;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync(_org);
        var name = CatalogFixtures.Unique("od-public");
        await Fixtures.DatasetAsync(name, _org);
        _resourceId = (await Admin.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = name, ["format"] = "CSV" },
            "t.csv", Encoding.UTF8.GetBytes(Table))).Ok()!["id"]!.GetValue<string>();

        var big = (await Admin.CallAsync("resource_create", new { package_id = name, url = "https://example.org/big.csv" }))!;
        _bigId = big["id"]!.GetValue<string>();
        await Admin.CallAsync("datastore_create", new
        {
            resource_id = _bigId,
            fields = new object[] { new { id = "n", type = "int" } },
            records = Enumerable.Range(1, 2500).Select(i => new { n = i }).ToArray(),
        });

        var secret = CatalogFixtures.Unique("od-private");
        await Fixtures.DatasetAsync(secret, _org, isPrivate: true);
        _privateId = (await Admin.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = secret, ["format"] = "CSV" },
            "s.csv", Encoding.UTF8.GetBytes("k\nODATASECRET\n"))).Ok()!["id"]!.GetValue<string>();
        foreach (var id in new[] { _resourceId, _privateId })
            for (var i = 0; i < 300; i++)
            {
                var info = await Admin.PostAsync("datastore_info", new { id });
                if (info.Status == HttpStatusCode.OK && info.Result!["meta"]!["datastore_active"]!.GetValue<bool>()) break;
                await Task.Delay(100);
            }
    }

    private Task<ApiResponse> GetAsync(string path, CkanClient? client = null) =>
        (client ?? Anon).SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    private string Rows(string query = "") => $"/odata/resources/{_resourceId}/Rows{(query.Length > 0 ? "?" + query : "")}";

    [Test]
    public async Task The_metadata_is_CSDL_with_typed_properties_and_the_headers_kept()
    {
        var response = await GetAsync($"/odata/resources/{_resourceId}/$metadata");
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        using var xml = XmlReader.Create(new StringReader(response.Body));
        Assert.That(CsdlReader.TryParse(xml, out var model, out var errors), Is.True, string.Join("; ", errors ?? []));
        var rows = model.EntityContainer.FindEntitySet("Rows");
        var type = rows.EntityType;
        Assert.That(type.Key().Single().Name, Is.EqualTo("_id"));
        var kinds = type.StructuralProperties().ToDictionary(p => p.Name, p => p.Type.PrimitiveKind());
        Assert.That(kinds, Is.EqualTo(new Dictionary<string, EdmPrimitiveTypeKind>
        {
            ["_id"] = EdmPrimitiveTypeKind.Int64, ["名称"] = EdmPrimitiveTypeKind.String, ["収容人数"] = EdmPrimitiveTypeKind.Int64,
            ["開設日"] = EdmPrimitiveTypeKind.Date, ["面積_m2"] = EdmPrimitiveTypeKind.Decimal, ["屋内"] = EdmPrimitiveTypeKind.Boolean,
        }));
        Assert.That(response.Body, Does.Contain("面積（㎡）"));

        var service = await GetAsync($"/odata/resources/{_resourceId}/");
        Assert.That(service.Json!["value"]![0]!["url"]!.GetValue<string>(), Is.EqualTo("Rows"));
    }

    [Test]
    public async Task The_feed_reads_with_OData_s_reader_and_filters_select_order_and_count_apply()
    {
        var response = await GetAsync(Rows("$filter=" + Uri.EscapeDataString("収容人数 gt 100 and contains(名称,'避難')") + "&$count=true&$orderby=収容人数 desc&$select=名称,収容人数"));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Body);
        var metadata = await GetAsync($"/odata/resources/{_resourceId}/$metadata");
        using var xml = XmlReader.Create(new StringReader(metadata.Body));
        var model = CsdlReader.Parse(xml);
        var rows = model.EntityContainer.FindEntitySet("Rows");
        var message = new ResponseMessage(response.Body);
        using var reader = new ODataMessageReader(message, new ODataMessageReaderSettings(), model);
        var feed = reader.CreateODataResourceSetReader(rows, rows.EntityType);
        var found = new List<ODataResource>();
        ODataResourceSet? set = null;
        while (feed.Read())
        {
            if (feed.State == ODataReaderState.ResourceEnd) found.Add((ODataResource)feed.Item);
            if (feed.State == ODataReaderState.ResourceSetEnd) set = (ODataResourceSet)feed.Item;
        }
        Assert.That(set!.Count, Is.EqualTo(2));
        Assert.That(found.Select(r => r.Properties.OfType<ODataProperty>().Single(p => p.Name == "収容人数").Value), Is.EqualTo(new object[] { 1200L, 350L }));

        var dates = await GetAsync(Rows("$filter=" + Uri.EscapeDataString("開設日 lt 2020-01-01 or 屋内 eq false")));
        Assert.That(dates.Json!["value"]!.AsArray().Select(r => r!["_id"]!.GetValue<long>()), Is.EqualTo(new[] { 2L, 3L }));
        Assert.That(dates.Json["@odata.context"]!.GetValue<string>(), Does.EndWith($"/odata/resources/{_resourceId}/$metadata#Rows"));
        Assert.That(dates.ContentType, Does.StartWith("application/json"));
        var paged = await GetAsync(Rows("$top=1&$skip=1"));
        Assert.That(paged.Json!["value"]![0]!["_id"]!.GetValue<long>(), Is.EqualTo(2));
    }

    [Test]
    public async Task Pages_are_followed_by_next_links_until_every_row_is_read()
    {
        var ids = new List<long>();
        string? next = $"/odata/resources/{_bigId}/Rows?$filter=n%20gt%20100";
        var pages = 0;
        while (next is not null)
        {
            var response = await GetAsync(next.Replace(Host.BaseUrl, ""));
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Body);
            ids.AddRange(response.Json!["value"]!.AsArray().Select(r => r!["n"]!.GetValue<long>()));
            next = response.Json["@odata.nextLink"]?.GetValue<string>();
            pages++;
        }
        Assert.That(pages, Is.EqualTo(3));
        Assert.That(ids, Is.EqualTo(Enumerable.Range(101, 2400).Select(i => (long)i)));
        var huge = await GetAsync($"/odata/resources/{_bigId}/Rows?$top=10000000");
        Assert.That(huge.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(huge.Json!["value"]!.AsArray(), Has.Count.EqualTo(1000));
        Assert.That(huge.Json["@odata.nextLink"]!.GetValue<string>(), Does.Contain("%24skiptoken=1000"));
    }

    [TestCase("$filter=nope eq 1")]
    [TestCase("$filter=名称 eq 1")]
    [TestCase("$filter=収容人数 eq 'many'")]
    [TestCase("$filter=名称 eq ''; DROP TABLE \"_tables\"; --'")]
    [TestCase("$filter=1 eq 1) or (1 eq 1")]
    [TestCase("$orderby=nope")]
    [TestCase("$select=nope")]
    [TestCase("$expand=x")]
    [TestCase("$top=-1")]
    [TestCase("$skiptoken=abc")]
    [TestCase("$apply=aggregate(n with sum as t)")]
    [TestCase("$filter=length(名称) gt 1")]
    public async Task Bad_options_are_OData_errors(string query)
    {
        var response = await GetAsync(Rows(string.Join("&", query.Split('&').Select(p => p[..(p.IndexOf('=') + 1)] + Uri.EscapeDataString(p[(p.IndexOf('=') + 1)..])))));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest), response.Body);
        Assert.That(response.Json!["error"]!["message"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task A_ten_kilobyte_filter_is_refused()
    {
        // The server's request line limit may refuse it first (414); either way a client error, never a failure.
        var filter = string.Join(" or ", Enumerable.Repeat("_id eq 1", 850));
        var response = await GetAsync(Rows("$filter=" + Uri.EscapeDataString(filter)));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest).Or.EqualTo(HttpStatusCode.RequestUriTooLong));
        var shorter = string.Join(" or ", Enumerable.Repeat("_id eq 1", 400));
        var refused = await GetAsync(Rows("$filter=" + Uri.EscapeDataString(shorter)));
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Private_rows_are_not_there_for_others()
    {
        foreach (var path in new[] { $"/odata/resources/{_privateId}/", $"/odata/resources/{_privateId}/$metadata", $"/odata/resources/{_privateId}/Rows" })
        {
            var response = await GetAsync(path);
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.NotFound), path);
            Assert.That(response.Body, Does.Not.Contain("ODATASECRET"));
        }
        var mine = await GetAsync($"/odata/resources/{_privateId}/Rows", Admin);
        Assert.That(mine.Body, Does.Contain("ODATASECRET"));
    }

    private sealed class ResponseMessage(string body) : IODataResponseMessage
    {
        private readonly Dictionary<string, string> _headers = new()
        {
            ["Content-Type"] = "application/json;odata.metadata=minimal", ["OData-Version"] = "4.0",
        };
        public IEnumerable<KeyValuePair<string, string>> Headers => _headers;
        public int StatusCode { get; set; } = 200;
        public string GetHeader(string headerName) => _headers.GetValueOrDefault(headerName)!;
        public void SetHeader(string headerName, string headerValue) => _headers[headerName] = headerValue;
        public Stream GetStream() => new MemoryStream(Encoding.UTF8.GetBytes(body));
    }
}
