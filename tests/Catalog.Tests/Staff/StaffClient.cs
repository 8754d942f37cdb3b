using System.Net;
using System.Text.RegularExpressions;

namespace Catalog.Tests.Staff;

/// <summary>A browser-like HTTP client of the staff pages: a cookie jar, no automatic redirects, forms posted with their token.</summary>
public sealed partial class StaffClient : IDisposable
{
    public CookieContainer Cookies { get; } = new();
    public HttpClient Http { get; }

    public StaffClient(CatalogHost host)
    {
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = new Uri(host.BaseUrl),
        };
    }

    public async Task<(HttpResponseMessage Response, string Body)> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The anti-forgery token of the first form on the page at <paramref name="path"/>.</summary>
    public async Task<string> TokenAsync(string path)
    {
        var (_, body) = await GetAsync(path);
        var m = TokenPattern().Match(body);
        Assert.That(m.Success, Is.True, $"no anti-forgery token on {path}");
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    public async Task<(HttpResponseMessage Response, string Body)> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true)
    {
        var all = fields.ToList();
        if (withToken) all.Add(new("__RequestVerificationToken", await TokenAsync(path)));
        var response = await Http.PostAsync(path, new FormUrlEncodedContent(all));
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpResponseMessage Response, string Body)> UploadAsync(string path, string? schema, params (string Name, byte[] Bytes)[] files)
    {
        var token = await TokenAsync(path);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(schema ?? ""), "schema" },
        };
        foreach (var (name, bytes) in files) content.Add(new ByteArrayContent(bytes), "files", name);
        var response = await Http.PostAsync(path, content);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async Task<HttpResponseMessage> SignInAsync(string user, string password)
    {
        var (response, _) = await PostFormAsync("/staff/login", [new("username", user), new("password", password)]);
        return response;
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
