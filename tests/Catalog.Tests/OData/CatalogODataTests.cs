using System.Net;
using System.Text;
using System.Xml;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace Catalog.Tests.OData;

/// <summary>
/// The catalog-wide OData service at <c>/odata/</c>, read with OData's own CSDL and JSON readers, on both stores:
/// the sets, paging, expansion, Japanese filters, visibility per caller and errors in OData's format.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class CatalogODataTests(TestStore store) : CatalogApiTests(store)
{
    private readonly string _org = CatalogFixtures.Unique("cod-org");
    private readonly string _group = CatalogFixtures.Unique("cod-group");
    private readonly string _public = CatalogFixtures.Unique("cod-public");
    private readonly string _private = CatalogFixtures.Unique("cod-private");
    private const string PrivateTag = "非公開タグcod";
    private string _privateResource = null!;
    private TestUser _member = null!;
    private IEdmModel _model = null!;

    protected override async Task ArrangeAsync()
    {
        var memberName = CatalogFixtures.Unique("cod-member");
        await Fixtures.UserAsync(memberName);
        await Fixtures.OrganizationAsync(_org, (memberName, "member"));
        _member = (await Fixtures.UserAsync(CatalogFixtures.Unique("cod-reader")));
        await Admin.CallAsync("organization_member_create", new { id = _org, username = _member.Name, role = "member" });
        await Fixtures.GroupAsync(_group);
        await Fixtures.DatasetAsync(_public, _org, extra: new
        {
            title = "津市 指定避難所一覧", tags = new[] { new { name = "防災" }, new { name = "避難所" } },
            groups = new[] { new { name = _group } },
            resources = new[] { new { name = "避難所CSV", url = "https://example.org/a.csv", format = "CSV" }, new { name = "地図", url = "https://example.org/b.geojson", format = "GeoJSON" } },
        });
        for (var i = 0; i < 4; i++)
            await Fixtures.DatasetAsync($"{_public}-{i}", _org, extra: new { title = $"統計 {i}" });
        // More tags than one page holds, in another organization so the paging test counts only its own five.
        var tagsOrg = CatalogFixtures.Unique("cod-tags-org");
        await Fixtures.OrganizationAsync(tagsOrg);
        await Fixtures.DatasetAsync($"{_public}-tags", tagsOrg, extra: new { title = "タグ多数", tags = Enumerable.Range(0, 120).Select(i => new { name = $"タグ{i:D3}" }).ToArray() });
        var secret = await Fixtures.DatasetAsync(_private, _org, isPrivate: true, extra: new
        {
            title = "非公開 避難計画", tags = new[] { new { name = PrivateTag } },
            resources = new[] { new { name = "secret", url = "https://example.org/secret.csv", format = "CSV" } },
        });
        _privateResource = secret["resources"]![0]!["id"]!.GetValue<string>();
        await Fixtures.DatasetAsync($"{_public}-deleted", _org, extra: new { title = "削除済み" });
        await Admin.CallAsync("package_delete", new { id = $"{_public}-deleted" });

        var metadata = await GetAsync("/odata/$metadata");
        Assert.That(metadata.Status, Is.EqualTo(HttpStatusCode.OK), metadata.Body);
        using var xml = XmlReader.Create(new StringReader(metadata.Body));
        Assert.That(CsdlReader.TryParse(xml, out _model, out var errors), Is.True, string.Join("; ", errors ?? []));
    }

    private static async Task<ApiResponse> GetAsync(CkanClient client, string path, int? maxPageSize = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (maxPageSize is { } n) request.Headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={n}");
        return await client.SendAsync(request);
    }

    private Task<ApiResponse> GetAsync(string path, CkanClient? client = null) => GetAsync(client ?? Anon, path);

    /// <summary>A feed read with OData's message reader: top-level entries with their properties, and the set.</summary>
    private (List<ODataResource> Entries, ODataResourceSet Set, Dictionary<ODataResource, List<ODataResource>> Nested) Read(string setName, string body)
    {
        var set = _model.EntityContainer.FindEntitySet(setName);
        using var reader = new ODataMessageReader(new ResponseMessage(body), new ODataMessageReaderSettings(), _model);
        var feed = reader.CreateODataResourceSetReader(set, set.EntityType);
        var entries = new List<ODataResource>();
        var nested = new Dictionary<ODataResource, List<ODataResource>>();
        var stack = new Stack<List<ODataResource>>();
        ODataResourceSet? top = null;
        var depth = 0;
        var children = new List<ODataResource>();
        while (feed.Read())
        {
            switch (feed.State)
            {
                case ODataReaderState.ResourceStart: depth++; if (depth == 1) children = []; break;
                case ODataReaderState.ResourceEnd:
                    depth--;
                    if (feed.Item is ODataResource r)
                    {
                        if (depth == 0) { entries.Add(r); nested[r] = children; }
                        else children.Add(r);
                    }
                    break;
                case ODataReaderState.ResourceSetEnd when depth == 0: top = (ODataResourceSet)feed.Item; break;
            }
        }
        return (entries, top!, nested);
    }

    private static object? Value(ODataResource r, string name) => r.Properties.OfType<ODataProperty>().Single(p => p.Name == name).Value;

    [Test]
    public async Task The_service_document_and_metadata_name_the_five_sets()
    {
        var service = await GetAsync("/odata/");
        Assert.That(service.Status, Is.EqualTo(HttpStatusCode.OK), service.Body);
        Assert.That(service.Json!["value"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "Datasets", "Resources", "Organizations", "Groups", "Tags" }));
        var sets = _model.EntityContainer.EntitySets().ToDictionary(s => s.Name, s => s.EntityType);
        Assert.That(sets.Keys, Is.EquivalentTo(new[] { "Datasets", "Resources", "Organizations", "Groups", "Tags" }));
        var dataset = sets["Datasets"];
        Assert.That(dataset.Key().Single().Name, Is.EqualTo("Id"));
        Assert.That(dataset.NavigationProperties().Select(p => p.Name), Is.EquivalentTo(new[] { "Organization", "Resources", "Tags" }));
        Assert.That(dataset.StructuralProperties().Select(p => p.Name), Does.Not.Contain("CreatorUserId").And.Not.Contain("State"));
    }

    [Test]
    public async Task Datasets_filter_on_Japanese_text_with_count_select_and_order()
    {
        var response = await GetAsync("/odata/Datasets?$filter=" + Uri.EscapeDataString($"contains(Title,'避難') and OrganizationId ne null") +
            "&$count=true&$select=Name,Title&$orderby=Name");
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Body);
        Assert.That(response.ContentType, Does.StartWith("application/json"));
        var (entries, set, _) = Read("Datasets", response.Body);
        Assert.That(entries.Select(e => Value(e, "Name")), Is.EqualTo(new[] { _public }), "the private 避難計画 is not there for anonymous");
        Assert.That(set.Count, Is.EqualTo(1));
        Assert.That(entries[0].Properties.Select(p => p.Name), Is.EquivalentTo(new[] { "Name", "Title" }));
        Assert.That(response.Json!["@odata.context"]!.GetValue<string>(), Does.EndWith("/odata/$metadata#Datasets(Name,Title)"));
    }

    [Test]
    public async Task The_OData_version_header_is_sent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/odata/Organizations");
        using var response = await Anon.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("OData-Version"), Is.EqualTo(new[] { "4.0" }));
    }

    [Test]
    public async Task Pages_are_followed_by_next_links_until_every_dataset_is_read()
    {
        var names = new List<string>();
        string? next = "/odata/Datasets?$filter=" + Uri.EscapeDataString($"OrganizationId eq '{await OrgIdAsync()}'") + "&$count=true";
        var pages = 0;
        long? count = null;
        while (next is not null)
        {
            var response = await GetAsync(Anon, next.Replace(Host.BaseUrl, ""), maxPageSize: 2);
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Body);
            var (entries, set, _) = Read("Datasets", response.Body);
            Assert.That(entries, Has.Count.LessThanOrEqualTo(2));
            names.AddRange(entries.Select(e => (string)Value(e, "Name")!));
            count ??= set.Count;
            next = set.NextPageLink?.ToString();
            pages++;
            Assert.That(pages, Is.LessThan(10));
        }
        var expected = new[] { _public }.Concat(Enumerable.Range(0, 4).Select(i => $"{_public}-{i}")).ToList();
        Assert.That(names, Is.EquivalentTo(expected), "neither the private nor the deleted dataset, each public one once");
        Assert.That(count, Is.EqualTo(5));
        Assert.That(pages, Is.EqualTo(3));

        var member = await GetAsync(_member.Client, "/odata/Datasets?$filter=" + Uri.EscapeDataString($"OrganizationId eq '{await OrgIdAsync()}'") + "&$count=true");
        Assert.That(member.Json!["@odata.count"]!.GetValue<long>(), Is.EqualTo(6), "a member reads the private one, never the deleted one");
    }

    [TestCase("100000")]
    [TestCase("abc")]
    [TestCase("-5")]
    public async Task A_client_may_not_ask_for_pages_larger_than_the_limit(string size)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/odata/Tags?$top=1000");
        request.Headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={size}");
        var response = await Anon.SendAsync(request);
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Body);
        var (entries, set, _) = Read("Tags", response.Body);
        Assert.That(entries, Has.Count.EqualTo(100));
        Assert.That(set.NextPageLink, Is.Not.Null);
    }

    private async Task<string> OrgIdAsync() => (await Admin.CallAsync("organization_show", new { id = _org }))!["id"]!.GetValue<string>();

    [Test]
    public async Task A_dataset_expands_to_its_resources_organization_and_tags()
    {
        var response = await GetAsync($"/odata/Datasets?$filter=Name eq '{_public}'&$expand=Resources($orderby=Position),Organization,Tags&$select=Name");
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Body);
        var (entries, _, nested) = Read("Datasets", response.Body);
        var children = nested[entries.Single()];
        Assert.That(children.Where(c => c.TypeName.EndsWith(".Resource", StringComparison.Ordinal)).Select(c => Value(c, "Name")), Is.EqualTo(new[] { "避難所CSV", "地図" }));
        Assert.That(children.Where(c => c.TypeName.EndsWith(".Tag", StringComparison.Ordinal)).Select(c => Value(c, "Name")), Is.EquivalentTo(new[] { "防災", "避難所" }));
        Assert.That(children.Where(c => c.TypeName.EndsWith(".Organization", StringComparison.Ordinal)).Select(c => Value(c, "Name")), Is.EqualTo(new[] { _org }));
    }

    [Test]
    public async Task Resources_tags_organizations_and_groups_show_only_what_the_caller_may_read()
    {
        // Asked by key, so that the answer does not depend on which page of a shared store the secret falls on.
        foreach (var (set, key, secret) in new[] { ("Resources", "Id", _privateResource), ("Tags", "Name", PrivateTag) })
        {
            var query = $"/odata/{set}?$filter=" + Uri.EscapeDataString($"{key} eq '{secret}'");
            var anonymous = await GetAsync(query);
            Assert.That(anonymous.Status, Is.EqualTo(HttpStatusCode.OK), anonymous.Body);
            Assert.That(Read(set, anonymous.Body).Entries, Is.Empty, set);
            Assert.That(anonymous.Body, Does.Not.Contain(secret), set);
            var member = await GetAsync(query, _member.Client);
            Assert.That(Read(set, member.Body).Entries, Has.Count.EqualTo(1), set);
            Assert.That(member.Body, Does.Contain(secret), set);
        }
        var resources = await GetAsync("/odata/Resources?$filter=" + Uri.EscapeDataString("tolower(Format) eq 'geojson'") + "&$count=true");
        Assert.That(Read("Resources", resources.Body).Entries.Select(e => Value(e, "Name")), Is.EqualTo(new[] { "地図" }));
        var orgs = await GetAsync($"/odata/Organizations?$filter=Name eq '{_org}'");
        Assert.That(Read("Organizations", orgs.Body).Entries.Select(e => Value(e, "Title")), Is.EqualTo(new[] { $"組織 {_org}" }));
        var groups = await GetAsync($"/odata/Groups?$filter=startswith(Title,'グループ')");
        Assert.That(Read("Groups", groups.Body).Entries.Select(e => Value(e, "Name")), Does.Contain(_group));
        var tags = await GetAsync("/odata/Tags/$count");
        Assert.That(tags.Status, Is.EqualTo(HttpStatusCode.OK), tags.Body);
    }

    [TestCase("$filter=Nope eq 1")]
    [TestCase("$filter=Title eq 1")]
    [TestCase("$filter=Name eq ''; DROP TABLE packages; --'")]
    [TestCase("$filter=1 eq 1) or (1 eq 1")]
    [TestCase("$orderby=Nope")]
    [TestCase("$select=Nope")]
    [TestCase("$expand=Nope")]
    [TestCase("$expand=Resources($expand=Nope)")]
    [TestCase("$top=10000000")]
    [TestCase("$top=-1")]
    [TestCase("$skip=abc")]
    [TestCase("$apply=aggregate(Id with countdistinct as n)")]
    [TestCase("$search=避難")]
    [TestCase("$filter=matchesPattern(Name,'(a+)+$')")]
    public async Task Bad_options_are_OData_errors(string query)
    {
        var eq = query.IndexOf('=');
        var response = await GetAsync("/odata/Datasets?" + query[..(eq + 1)] + Uri.EscapeDataString(query[(eq + 1)..]));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest), response.Body);
        Assert.That(response.Json!["error"]!["message"]!.GetValue<string>(), Is.Not.Empty, response.Body);
        Assert.That(response.Body, Does.Not.Contain("\"success\""));
    }

    [TestCase("/odata/Datasets?$orderby=Organization/Name,Name")]
    [TestCase("/odata/Datasets?$filter=Organization/Name eq 'x'")]
    [TestCase("/odata/Datasets?$filter=Resources/any(r: r/Format eq 'CSV')")]
    [TestCase("/odata/Datasets?$filter=Tags/any(t: t/Name eq '防災')&$count=true")]
    [TestCase("/odata/Datasets?$filter=Resources/$count gt 1")]
    [TestCase("/odata/Datasets?$expand=Resources($filter=Size gt 0;$orderby=Name desc;$top=1;$select=Name)")]
    [TestCase("/odata/Datasets?$expand=Tags($count=true)&$skip=2&$top=2")]
    [TestCase("/odata/Datasets?$filter=year(MetadataCreated) ge 2020 and length(Name) gt 3")]
    [TestCase("/odata/Datasets/$count")]
    [TestCase("/odata/Resources?$orderby=Size desc&$select=Id,Size")]
    public async Task Queries_across_navigation_answer(string path)
    {
        var response = await GetAsync(path);
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Body);
    }

    [Test]
    public async Task A_ten_kilobyte_filter_is_refused()
    {
        var filter = string.Join(" or ", Enumerable.Repeat("Name eq 'x'", 400));
        var response = await GetAsync("/odata/Datasets?$filter=" + Uri.EscapeDataString(filter));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest).Or.EqualTo(HttpStatusCode.RequestUriTooLong));
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
