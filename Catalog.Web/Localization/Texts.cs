using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Catalog.Web.Localization;

/// <summary>
/// The pages' words in Japanese (first) and English, from the embedded <c>ja.json</c> and <c>en.json</c>. The language
/// is <c>?lang=</c> (remembered in a cookie) or the cookie, else Japanese.
/// </summary>
public sealed class Texts
{
    public const string Cookie = "catalog_lang";
    public static readonly string[] Languages = ["ja", "en"];

    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> All = Load();

    public string Lang { get; }
    private readonly FrozenDictionary<string, string> _words;

    private Texts(string lang) { Lang = lang; _words = All[lang]; }

    public static readonly Texts Japanese = new("ja");
    public static readonly Texts English = new("en");

    public static Texts For(string lang) => lang == "en" ? English : Japanese;

    /// <summary>The language of this request; a valid <c>?lang=</c> is remembered for a year.</summary>
    public static Texts ForRequest(HttpContext http)
    {
        var asked = http.Request.Query["lang"].ToString();
        if (Languages.Contains(asked))
        {
            http.Response.Cookies.Append(Cookie, asked, new CookieOptions
            {
                MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/",
                Secure = http.Request.IsHttps,
            });
            return For(asked);
        }
        return For(http.Request.Cookies[Cookie] ?? "ja");
    }

    public string this[string key] => _words.TryGetValue(key, out var s) ? s : All["ja"].GetValueOrDefault(key, key);

    public string Format(string key, params object?[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, this[key], args);

    /// <summary>The label of a {ja, en} object in this language, else the other one.</summary>
    public string Pick(System.Text.Json.Nodes.JsonObject? label) =>
        label?[Lang]?.GetValue<string>() ?? label?["ja"]?.GetValue<string>() ?? label?["en"]?.GetValue<string>() ?? "";

    /// <summary>Every key of every language, for the test that keeps the two files alike.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyCollection<string>> Keys =>
        All.ToDictionary(kv => kv.Key, kv => (IReadOnlyCollection<string>)kv.Value.Keys);

    private static FrozenDictionary<string, FrozenDictionary<string, string>> Load()
    {
        var asm = typeof(Texts).Assembly;
        return Languages.ToFrozenDictionary(l => l, l =>
        {
            using var s = asm.GetManifestResourceStream($"texts/{l}.json") ?? throw new InvalidOperationException($"texts/{l}.json is not embedded.");
            return JsonSerializer.Deserialize<Dictionary<string, string>>(s)!.ToFrozenDictionary();
        });
    }
}
