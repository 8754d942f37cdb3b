using System.Net;
using System.Text;

namespace Catalog.Tests.ActionApi;

/// <summary>How requests reach actions and how answers come back (reference §1).</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class TransportTests(TestStore store)
{
    private CatalogHost _host = null!;
    private CkanClient _anon = null!;

    [OneTimeSetUp] public void Start() { _host = new CatalogHost(store: store); _anon = _host.Client(); }
    [OneTimeTearDown] public void Stop() { _anon.Dispose(); _host.Dispose(); }

    [Test]
    public async Task Envelope_has_absolute_help_url_under_api_3_even_for_unversioned_path()
    {
        var r = await _anon.PostAsync("package_list", prefix: "/api/action/");
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(r.ContentType, Is.EqualTo("application/json; charset=utf-8").Or.EqualTo("application/json;charset=utf-8"));
        Assert.That(r.Envelope["help"]!.GetValue<string>(), Is.EqualTo($"{_host.BaseUrl}/api/3/action/help_show?name=package_list"));
        Assert.That(r.Success, Is.True);
        Assert.That(r.Result!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Unknown_action_is_400_with_a_bare_string()
    {
        var r = await _anon.PostAsync("no_such_action");
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(r.Json!.GetValue<string>(), Is.EqualTo("Bad request - Action name not known: no_such_action"));
    }

    [Test]
    public async Task Get_on_a_write_action_is_refused_with_a_bare_string()
    {
        var r = await _anon.GetAsync("package_create", "name=x");
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(r.Json!.GetValue<string>(), Is.EqualTo("Bad request - JSON Error: Invalid request. Please use POST method for your request"));
    }

    [TestCase("[1,2,3]")]
    [TestCase("\"just a string\"")]
    [TestCase("{not json")]
    public async Task Body_that_is_not_a_json_object_is_400(string body)
    {
        var r = await _host.Sysadmin().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/action/package_create")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(r.Json!.GetValue<string>(), Does.StartWith("Bad request - JSON Error:"));
    }

    [Test]
    public async Task Deeply_nested_json_is_400_not_500()
    {
        var body = "{\"name\":" + new string('[', 5000) + new string(']', 5000) + "}";
        var r = await _host.Sysadmin().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/action/package_create")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Versioned_and_unversioned_api_roots()
    {
        var v = await _anon.Http.GetStringAsync("/api/3");
        Assert.That(v, Is.EqualTo("{\"version\":3}"));
        var v1 = await _anon.Http.GetStringAsync("/api");
        Assert.That(v1, Is.EqualTo("{\"version\":1}"));
    }

    [Test]
    public async Task Missing_required_id_is_a_validation_error_dict_of_lists()
    {
        var r = await _anon.PostAsync("package_show", new { });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(r.Error["id"]!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "Missing value" }));
    }

    [Test]
    public async Task Unknown_dataset_is_404_not_found_error()
    {
        var r = await _anon.GetAsync("package_show", "id=does-not-exist");
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(r.ErrorType, Is.EqualTo("Not Found Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Does.StartWith("Not found"));
        Assert.That(r.Success, Is.False);
        Assert.That(r.Envelope.ContainsKey("result"), Is.False);
    }

    [Test]
    public async Task Anonymous_write_is_403_authorization_error()
    {
        var r = await _anon.PostAsync("package_create", new { name = "x-dataset", owner_org = "whatever" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
    }

    [Test]
    public async Task Invalid_token_means_anonymous_not_401()
    {
        var r = await _host.Client("not-a-real-token").PostAsync("package_list");
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.OK));
        var w = await _host.Client("not-a-real-token").PostAsync("dataset_purge", new { id = "x" });
        Assert.That(w.Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Form_encoded_json_hack_is_decoded()
    {
        var r = await _anon.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/action/package_show")
        {
            Content = new StringContent("{\"id\":\"nope\"}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.NotFound), r.Body);
    }

    [Test]
    public async Task Jsonp_callback_wraps_a_get()
    {
        var r = await _anon.GetAsync("package_list", "callback=cb");
        Assert.That(r.ContentType, Does.StartWith("application/javascript"));
        Assert.That(r.Body, Does.StartWith("cb({").And.EndWith("});"));
    }
}
