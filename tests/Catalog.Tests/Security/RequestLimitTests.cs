using System.Net;
using System.Text;
using Catalog.Core.Dispatch;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Security;

/// <summary>
/// Request bodies: only upload actions take a large one, and only from a user; the caller is known before the body
/// is read; a body over its limit is a 413 in CKAN's envelope, never a 500.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class RequestLimitTests(TestStore store) : CatalogApiTests(store)
{
    private const int MiB = 1024 * 1024;
    private const string Boundary = "catalog-test-boundary";
    private string _datasetId = null!;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("limits-org");
        _datasetId = (await Fixtures.DatasetAsync("limits-ds", "limits-org"))["id"]!.GetValue<string>();
    }

    /// <summary>The first bytes of a multipart body whose file part would run on for the announced length.</summary>
    private static byte[] MultipartStart(params (string Name, string Value)[] fields)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in fields)
            text.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        text.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"big.csv\"\r\n")
            .Append("Content-Type: text/csv\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(text.ToString()), .. new byte[64 * 1024]];
    }

    private const string MultipartType = $"multipart/form-data; boundary={Boundary}";

    [Test]
    public async Task Anonymous_20_MB_multipart_to_package_search_is_refused_before_its_body()
    {
        var r = await RawHttp.PostAnnouncingAsync(Host, "/api/3/action/package_search", MultipartType, 20L * MiB, MultipartStart(("q", "x")));
        Assert.That(r.Status, Is.EqualTo(413), r.Body);
        Assert.That(r.Envelope["success"]!.GetValue<bool>(), Is.False);
        Assert.That(r.Error["__type"]!.GetValue<string>(), Is.EqualTo("Validation Error"));
        Assert.That(r.Error["message"]![0]!.GetValue<string>(), Does.StartWith("Request too large"));
    }

    [Test]
    public async Task Anonymous_chunked_multipart_to_package_search_is_cut_off_at_the_limit()
    {
        var r = await RawHttp.PostChunkedAsync(Host, "/api/3/action/package_search", MultipartType, MultipartStart(("q", "x"), ("pad", new string('x', MiB))));
        Assert.That(r.Status, Is.EqualTo(413), r.Body);
        Assert.That(r.Error["message"]![0]!.GetValue<string>(), Does.StartWith("Request too large"));
    }

    [Test]
    public async Task Anonymous_multipart_upload_to_resource_create_is_403_before_its_body()
    {
        var r = await RawHttp.PostAnnouncingAsync(Host, "/api/action/resource_create", MultipartType, 20L * MiB, MultipartStart(("package_id", _datasetId)));
        Assert.That(r.Status, Is.EqualTo(403), r.Body);
        Assert.That(r.Error["__type"]!.GetValue<string>(), Is.EqualTo("Authorization Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Is.EqualTo("Access denied: Action resource_create requires an authenticated user"));
    }

    [TestCase("resource_update")]
    [TestCase("resource_patch")]
    public async Task An_invalid_token_uploads_nothing_either(string action)
    {
        var r = await RawHttp.PostAnnouncingAsync(Host, "/api/action/" + action, MultipartType, 20L * MiB, MultipartStart(("id", "x")),
            new Dictionary<string, string> { ["Authorization"] = "not-a-token" });
        Assert.That(r.Status, Is.EqualTo(403), r.Body);
        Assert.That(r.Error["__type"]!.GetValue<string>(), Is.EqualTo("Authorization Error"));
    }

    [Test]
    public async Task Sysadmin_upload_of_5_MB_to_resource_create_still_works()
    {
        var file = new byte[5 * MiB];
        new Random(7).NextBytes(file);
        var r = await Admin.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = _datasetId, ["name"] = "big" }, "big.bin", file);
        Assert.That(r.Ok()!["size"]!.GetValue<long>(), Is.EqualTo(file.Length));
    }

    [Test]
    public async Task Json_body_of_2_MB_to_package_create_is_413()
    {
        var r = await SendExpectingContinueAsync(Admin, "package_create",
            Json(new { name = "too-big", owner_org = "limits-org", notes = new string('x', 2 * MiB) }));
        AssertTooLarge(r, "message");
    }

    [Test]
    public async Task Chunked_json_body_over_the_limit_is_413()
    {
        var json = Encoding.UTF8.GetBytes("{\"q\":\"" + new string('x', MiB + 64 * 1024));
        var r = await RawHttp.PostChunkedAsync(Host, "/api/action/package_search", "application/json", json);
        Assert.That(r.Status, Is.EqualTo(413), r.Body);
        Assert.That(r.Error["message"]![0]!.GetValue<string>(), Does.StartWith("Request too large"));
    }

    [Test]
    public async Task Upload_actions_take_only_small_json_bodies()
    {
        var r = await SendExpectingContinueAsync(Admin, "resource_create",
            Json(new { package_id = _datasetId, url = "http://example.org/x.csv", description = new string('x', 2 * MiB) }));
        AssertTooLarge(r, "message");
    }

    [Test]
    public async Task Multipart_to_an_action_that_takes_no_upload_is_held_to_the_small_limit()
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent("x-multipart"), "name" },
            { new StringContent("limits-org"), "owner_org" },
            { new ByteArrayContent(new byte[2 * MiB]), "upload", "big.bin" },
        };
        AssertTooLarge(await SendExpectingContinueAsync(Admin, "package_create", content), "message");
    }

    [Test]
    public async Task Form_encoded_json_hack_carries_a_dict_longer_than_the_form_key_default()
    {
        var json = "{\"id\":\"nope\",\"padding\":\"" + new string('x', 8 * 1024) + "\"}";
        var r = await Anon.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/action/package_show")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/x-www-form-urlencoded"),
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.NotFound), r.Body);
    }

    [TestCase("multipart/form-data", "abc")]
    [TestCase("multipart/form-data; boundary=zz", "garbage")]
    [TestCase("multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nabc")]
    public async Task Malformed_multipart_is_400_not_500(string contentType, string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var r = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/action/package_search") { Content = content });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.BadRequest), r.Body);
        Assert.That(r.Json!.GetValue<string>(), Does.StartWith("Bad request - Error decoding form data"));
    }

    [Test]
    public void Upload_actions_are_those_whose_handlers_read_a_file()
    {
        var uploads = Host.Services.GetRequiredService<ActionRegistry>().All.Where(a => a.AcceptsUpload).Select(a => a.Name);
        Assert.That(uploads, Is.EquivalentTo(new[] { "resource_create", "resource_update", "resource_patch", "package_revise" }));
    }

    [Test]
    public async Task The_request_limit_is_configurable()
    {
        using var small = new CatalogHost(settings: new() { ["Catalog:MaxRequestBytes"] = "4096" });
        using var anon = small.Client();
        Assert.That((await anon.PostAsync("package_search", new { q = new string('x', 1000) })).Status, Is.EqualTo(HttpStatusCode.OK));
        var r = await SendExpectingContinueAsync(anon, "package_search", Json(new { q = new string('x', 8000) }));
        AssertTooLarge(r, "message");
        Assert.That(r.Error["message"]![0]!.GetValue<string>(), Does.Contain("4096"));
    }

    private static void AssertTooLarge(ApiResponse r, string field)
    {
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), r.Body);
        Assert.That(r.Success, Is.False);
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(r.Error[field]![0]!.GetValue<string>(), Does.StartWith("Request too large"));
    }

    private static StringContent Json(object data) => new(CkanClient.Serialize(data), Encoding.UTF8, "application/json");

    /// <summary>
    /// Sends the headers first and the body only once the server asks for it: refused early, the body is never
    /// sent, so the client reads the answer instead of failing on a connection closed under its upload.
    /// </summary>
    private static Task<ApiResponse> SendExpectingContinueAsync(CkanClient client, string action, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/action/" + action) { Content = content };
        request.Headers.ExpectContinue = true;
        return client.SendAsync(request);
    }
}
