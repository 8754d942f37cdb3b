using System.Net;
using Catalog.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Catalog.Tests.Security;

/// <summary>
/// <c>Catalog:RateLimits</c>: per client address and minute, anonymous reads and writes each have a budget; a refusal
/// is 429 with Retry-After in CKAN's envelope. X-Forwarded-For counts only from <c>Catalog:KnownProxies</c>.
/// </summary>
public sealed class RateLimitTests
{
    private static CatalogHost Host(params (string Key, string Value)[] settings) =>
        new(settings: settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    private static Task<ApiResponse> ReadAsync(CkanClient client, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/3/action/package_list");
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    /// <summary>A write that fails validation still spends the budget: it was a write request.</summary>
    private static Task<ApiResponse> WriteAsync(CkanClient client) => client.PostAsync("package_create", new { name = "x" });

    private static async Task SpendAsync(int times, Func<Task<ApiResponse>> call)
    {
        for (var i = 0; i < times; i++)
            Assert.That((int)(await call()).Status, Is.Not.EqualTo(429), $"call {i + 1} of the budget was refused");
    }

    private static void AssertRateLimited(ApiResponse r, string action, string host)
    {
        Assert.That((int)r.Status, Is.EqualTo(429), r.Body);
        Assert.That(r.Success, Is.False);
        Assert.That(r.Envelope["help"]!.GetValue<string>(), Is.EqualTo($"{host}/api/3/action/help_show?name={action}"));
        Assert.That(r.ErrorType, Is.EqualTo("Rate Limit Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Does.StartWith("Rate limit exceeded"));
    }

    [Test]
    public async Task Anonymous_read_budget_gives_429_with_retry_after_and_leaves_others_alone()
    {
        using var host = Host(("Catalog:RateLimits:AnonymousReadsPerMinute", "3"));
        using var anon = host.Client();
        using var admin = host.Sysadmin();
        await SpendAsync(3, () => ReadAsync(anon));

        using var response = await anon.Http.GetAsync("/api/3/action/package_list");
        Assert.That((int)response.StatusCode, Is.EqualTo(429));
        Assert.That(response.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 60));
        AssertRateLimited(new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), null), "package_list", host.BaseUrl);

        // An invalid token is no token: still anonymous.
        AssertRateLimited(await ReadAsync(host.Client("not-a-token")), "package_list", host.BaseUrl);
        // A user's reads and everyone's writes have no budget here.
        await SpendAsync(5, () => ReadAsync(admin));
        Assert.That((await WriteAsync(anon)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await admin.PostAsync("package_search")).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Write_budget_gives_429_and_leaves_reads_alone()
    {
        using var host = Host(("Catalog:RateLimits:WritesPerMinute", "3"));
        using var anon = host.Client();
        using var admin = host.Sysadmin();
        await SpendAsync(3, () => WriteAsync(admin));

        AssertRateLimited(await WriteAsync(admin), "package_create", host.BaseUrl);
        // The budget is the address's, whoever calls.
        AssertRateLimited(await WriteAsync(anon), "package_create", host.BaseUrl);
        // Reads, POSTed or not, are not writes.
        await SpendAsync(5, () => ReadAsync(anon));
        Assert.That((await admin.PostAsync("package_show", new { id = "nope" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.0/8")]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_its_own_budget(string proxy)
    {
        using var host = Host(("Catalog:KnownProxies:0", proxy), ("Catalog:RateLimits:AnonymousReadsPerMinute", "2"));
        using var anon = host.Client();
        await SpendAsync(2, () => ReadAsync(anon, "203.0.113.1"));
        AssertRateLimited(await ReadAsync(anon, "203.0.113.1"), "package_list", host.BaseUrl);
        Assert.That((await ReadAsync(anon, "203.0.113.2")).Status, Is.EqualTo(HttpStatusCode.OK));
        // A client's own claim before the proxy's entry is not believed: the proxy vouches only for the last hop.
        AssertRateLimited(await ReadAsync(anon, "198.51.100.7, 203.0.113.1"), "package_list", host.BaseUrl);
    }

    [Test]
    public async Task Without_known_proxies_the_forwarded_header_is_ignored()
    {
        using var host = Host(("Catalog:RateLimits:AnonymousReadsPerMinute", "2"));
        using var anon = host.Client();
        await SpendAsync(2, () => ReadAsync(anon, "203.0.113.1"));
        AssertRateLimited(await ReadAsync(anon, "203.0.113.2"), "package_list", host.BaseUrl);
        AssertRateLimited(await ReadAsync(anon), "package_list", host.BaseUrl);
    }

    [Test]
    public async Task Budgets_are_off_by_default()
    {
        using var host = Host();
        using var anon = host.Client();
        await SpendAsync(20, () => ReadAsync(anon));
        await SpendAsync(20, () => WriteAsync(anon));
    }

    [TestCase("203.0.113.9", "203.0.113.9")]
    [TestCase("::ffff:203.0.113.9", "203.0.113.9")]
    [TestCase("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [TestCase("2001:db8:1:2:bbbb::7", "2001:db8:1:2::/64")]
    public void An_ipv6_client_is_counted_by_its_64_block(string address, string key) =>
        Assert.That(ActionRateLimits.ClientKey(IPAddress.Parse(address)), Is.EqualTo(key));

    [TestCase("Catalog:KnownProxies:0", "not-an-address")]
    [TestCase("Catalog:KnownProxies:0", "10.0.0.0/99")]
    [TestCase("Catalog:RateLimits:WritesPerMinute", "-1")]
    [TestCase("Catalog:RateLimits:AnonymousReadsPerMinute", "-5")]
    public void Bad_settings_stop_the_start(string key, string value)
    {
        var e = Assert.Catch(() => Host((key, value)).Dispose());
        Assert.That(e!.ToString(), Does.Contain(typeof(OptionsValidationException).Name).And.Contain(key.Split(':')[^1]));
    }
}
