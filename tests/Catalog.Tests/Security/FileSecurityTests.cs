using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Api.Downloads;
using Catalog.Core;
using Catalog.Core.Files;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Catalog.Tests.Security;

/// <summary>
/// Downloads serve only the file the catalog stored for that resource, however an editor fills in the resource's
/// fields, and label it so that a browser never runs it on the catalog's origin.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class FileSecurityTests(TestStore store) : CatalogApiTests(store)
{
    private static readonly byte[] Csv = Encoding.UTF8.GetBytes("名称,住所\n津市体育館,津市一身田\n");
    private static readonly byte[] SecretB = Encoding.UTF8.GetBytes("org-b only: 非公開の台帳\n");

    private TestUser _editorA = null!;
    private string _publicA = null!;
    private JsonObject _privateB = null!;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("sec-a");
        await Fixtures.OrganizationAsync("sec-b");
        _editorA = await Fixtures.MemberAsync("sec-editor-a", "sec-a", "editor");
        _publicA = (await _editorA.Client.CallAsync("package_create", new { name = "sec-a-public", owner_org = "sec-a" }))!["id"]!.GetValue<string>();
        var privateB = (await Fixtures.DatasetAsync("sec-b-private", "sec-b", isPrivate: true))["id"]!.GetValue<string>();
        _privateB = (await Admin.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = privateB }, "ledger.csv", SecretB)).Ok()!.AsObject();
    }

    private static string S(JsonNode? node, string key) => node![key]!.GetValue<string>();

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Uploads are refused when their content contradicts the extension, so a hostile .pdf or .png starts with
    /// the right signature: what follows it is what a sniffing browser would still render.</summary>
    private static byte[] WithSignature(string fileName, byte[] body) => Path.GetExtension(fileName) switch
    {
        ".pdf" => [.. "%PDF-1.7\n"u8, .. body],
        ".png" => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. body],
        _ => body,
    };

    private async Task<JsonObject> UploadAsync(byte[] bytes, string fileName, CkanClient? client = null, Dictionary<string, string>? fields = null)
    {
        var data = new Dictionary<string, string>(fields ?? []) { ["package_id"] = _publicA };
        return (await (client ?? _editorA.Client).MultipartAsync("resource_create", data, fileName, bytes)).Ok()!.AsObject();
    }

    private HttpClient NoRedirects() =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(Host.BaseUrl) };

    private async Task<(HttpResponseMessage Response, byte[] Body)> DownloadAsync(string url, RangeHeaderValue? range = null)
    {
        using var http = NoRedirects();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = range;
        var response = await http.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The resource still serves its own upload, under the server's hash, and nothing else.</summary>
    private async Task AssertServesOwnUploadAsync(JsonObject uploaded, byte[] own)
    {
        var (response, body) = await DownloadAsync(S(uploaded, "url"));
        using (response)
        {
            Assert.That(IsForeign(body), Is.False, "never the database or a system file");
            Assert.That(body, Is.Not.EqualTo(SecretB), "never another resource's file");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body, Is.EqualTo(own));
            Assert.That(response.Headers.ETag!.Tag, Is.EqualTo($"\"{Sha(own)}\""));
        }
    }

    private static IEnumerable<string> HostileHashes() =>
    [
        "../../../catalog.db",
        "/etc/passwd",
        "..\\..\\..\\catalog.db",
        "..%2F..%2F..%2Fcatalog.db",
        "%2e%2e/%2e%2e/%2e%2e/catalog.db",
        "./../../../catalog.db-wal",
    ];

    [TestCaseSource(nameof(HostileHashes))]
    public async Task Resource_patch_hash_never_names_the_downloaded_file(string hash)
    {
        var r = await UploadAsync(Csv, "shelters.csv");
        var patched = await _editorA.Client.CallAsync("resource_patch", new { id = S(r, "id"), hash });
        Assert.That(S(patched, "hash"), Is.EqualTo(hash), "hash stays client metadata, shown as given");
        Assert.That(S(patched, "url_type"), Is.EqualTo("upload"));
        await AssertServesOwnUploadAsync(r, Csv);
    }

    [TestCaseSource(nameof(HostileHashes))]
    public async Task Resource_update_hash_never_names_the_downloaded_file(string hash)
    {
        var r = await UploadAsync(Csv, "shelters.csv");
        var update = r.DeepClone().AsObject();
        update["hash"] = hash;
        var updated = await _editorA.Client.CallAsync("resource_update", update);
        Assert.That(S(updated, "hash"), Is.EqualTo(hash));
        Assert.That(S(updated, "url_type"), Is.EqualTo("upload"));
        await AssertServesOwnUploadAsync(r, Csv);
    }

    [TestCase("{0f8fd4a4-3c0e-4b8e-9a51-1f6d0b7c2e11}")]
    [TestCase("0F8FD4A43C0E4B8E9A511F6D0B7C2E22")]
    [TestCase("(0f8fd4a4-3c0e-4b8e-9a51-1f6d0b7c2e33)")]
    public async Task A_wanted_resource_id_is_kept_only_in_its_canonical_form(string wanted)
    {
        var created = await UploadAsync(Csv, "kept.csv", fields: new() { ["id"] = wanted });
        Assert.That(S(created, "id"), Is.EqualTo(Guid.Parse(wanted).ToString()));
        await AssertServesOwnUploadAsync(created, Csv);
    }

    [Test]
    public async Task Package_update_with_resources_cannot_repoint_a_kept_upload()
    {
        var pid = (await _editorA.Client.CallAsync("package_create", new { name = CatalogFixtures.Unique("sec-pkg"), owner_org = "sec-a" }))!["id"]!.GetValue<string>();
        var r = (await _editorA.Client.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = pid }, "a.csv", Csv)).Ok()!.AsObject();
        var pkg = (await _editorA.Client.CallAsync("package_show", new { id = pid }))!.AsObject();
        pkg["resources"]![0]!["hash"] = "../../../catalog.db";
        await _editorA.Client.CallAsync("package_update", pkg);
        pkg["resources"]![0]!["hash"] = $"../../{S(_privateB, "id")[..2]}/{S(_privateB, "id")}/{Sha(SecretB)}";
        var updated = await _editorA.Client.CallAsync("package_update", pkg);
        Assert.That(S(updated!["resources"]![0], "id"), Is.EqualTo(S(r, "id")));
        await AssertServesOwnUploadAsync(r, Csv);
    }

    [Test]
    public async Task Package_create_and_resource_create_cannot_declare_an_upload_by_hash()
    {
        var created = (await _editorA.Client.CallAsync("package_create", new
        {
            name = CatalogFixtures.Unique("sec-new"), owner_org = "sec-a",
            resources = new[] { new { url = "catalog.db", url_type = "upload", hash = "../../../catalog.db" } },
        }))!;
        var fromPackage = created["resources"]![0]!;
        var fromResource = (await _editorA.Client.CallAsync("resource_create", new
        {
            package_id = _publicA, url = "catalog.db", url_type = "upload", hash = "/etc/passwd",
        }))!;
        foreach (var r in new[] { fromPackage, fromResource })
        {
            Assert.That(r["url_type"], Is.Null, "an upload is made by sending a file only");
            var (response, body) = await DownloadAsync($"/dataset/{S(r, "package_id")}/resource/{S(r, "id")}/download/catalog.db");
            using (response)
            {
                Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
                Assert.That(IsForeign(body), Is.False);
            }
        }

        // A file and a hash in the same call: the file's own hash wins.
        var both = await UploadAsync(Csv, "both.csv", fields: new() { ["hash"] = "../../../catalog.db" });
        Assert.That(S(both, "hash"), Is.EqualTo(Sha(Csv)));
        await AssertServesOwnUploadAsync(both, Csv);
    }

    [Test]
    public async Task Hash_of_another_resources_file_serves_only_the_own_file()
    {
        var other = await UploadAsync(Encoding.UTF8.GetBytes("other,file\n1,2\n"), "other.csv");
        var mine = await UploadAsync(Csv, "mine.csv");
        var patched = await _editorA.Client.CallAsync("resource_patch", new { id = S(mine, "id"), hash = S(other, "hash") });
        Assert.That(S(patched, "hash"), Is.EqualTo(S(other, "hash")));
        await AssertServesOwnUploadAsync(mine, Csv);
    }

    [Test]
    public async Task An_editor_of_one_organization_cannot_serve_another_organizations_private_file()
    {
        var ridB = S(_privateB, "id");
        var shaB = Sha(SecretB);
        using (var direct = await _editorA.Client.Http.GetAsync(S(_privateB, "url")))
            Assert.That(direct.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the file itself is private");

        var mine = await UploadAsync(Csv, "mine.csv");
        var absolute = Path.Combine(Host.DataDir, "files", ridB[..2], ridB, shaB);
        foreach (var hash in new[] { $"../../{ridB[..2]}/{ridB}/{shaB}", absolute, shaB })
        {
            await _editorA.Client.CallAsync("resource_patch", new { id = S(mine, "id"), hash });
            await AssertServesOwnUploadAsync(mine, Csv);
        }
        Assert.That(File.Exists(absolute), "organization B's file is still there, just not reachable");
    }

    [TestCase("page.html", "text/html")]
    [TestCase("page.htm", "text/html")]
    [TestCase("image.svg", "image/svg+xml")]
    [TestCase("feed.xml", "text/xml")]
    [TestCase("page.xhtml", "application/xhtml+xml")]
    [TestCase("script.js", "text/javascript")]
    [TestCase("report.pdf", "application/pdf")]
    [TestCase("noextension", "application/octet-stream")]
    public async Task Files_a_browser_would_render_are_attachments_with_nosniff_and_a_sandbox(string fileName, string mediaType)
    {
        var bytes = WithSignature(fileName, Encoding.UTF8.GetBytes("<html><script>alert(document.cookie)</script><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/></html>"));
        var r = await UploadAsync(bytes, fileName);
        var (response, body) = await DownloadAsync(S(r, "url"));
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body, Is.EqualTo(bytes));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo(mediaType).Or.EqualTo("application/javascript"));
            Assert.That(response.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
            Assert.That(response.Content.Headers.ContentDisposition.FileName?.Trim('"'), Is.EqualTo(fileName));
            AssertHardened(response);
        }
    }

    [Test]
    public async Task A_client_mimetype_does_not_decide_how_a_file_is_served()
    {
        var csv = await UploadAsync(Csv, "list.csv");
        var patched = await _editorA.Client.CallAsync("resource_patch", new { id = S(csv, "id"), mimetype = "text/html" });
        Assert.That(S(patched, "mimetype"), Is.EqualTo("text/html"), "kept as metadata");
        var (response, body) = await DownloadAsync(S(csv, "url"));
        using (response)
        {
            Assert.That(body, Is.EqualTo(Csv));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
            Assert.That(response.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("inline"));
            AssertHardened(response);
        }

        // No extension: whatever the client says, the bytes are an opaque download.
        var bare = await UploadAsync(Encoding.UTF8.GetBytes("<script>alert(1)</script>"), "page", fields: new() { ["mimetype"] = "text/html" });
        await _editorA.Client.CallAsync("resource_patch", new { id = S(bare, "id"), mimetype = "image/png" });
        var (bareResponse, _) = await DownloadAsync(S(bare, "url"));
        using (bareResponse)
        {
            Assert.That(bareResponse.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
            Assert.That(bareResponse.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
            AssertHardened(bareResponse);
        }
    }

    [TestCase("data.json", "application/json")]
    [TestCase("notes.txt", "text/plain")]
    [TestCase("map.png", "image/png")]
    public async Task Safe_types_stay_inline_and_hardened(string fileName, string mediaType)
    {
        var r = await UploadAsync(WithSignature(fileName, Encoding.UTF8.GetBytes("{\"a\":1}")), fileName);
        var (response, _) = await DownloadAsync(S(r, "url"));
        using (response)
        {
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo(mediaType));
            Assert.That(response.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("inline"));
            AssertHardened(response);
        }
    }

    [Test]
    public async Task Text_gets_a_charset_only_when_the_resource_names_a_known_encoding()
    {
        var sjis = await UploadAsync(Csv, "sjis.csv", fields: new() { ["encoding"] = "Shift_JIS" });
        var none = await UploadAsync(Csv, "none.csv");
        // An encoding outside the metadata schema's list never reaches a header: it is refused when written.
        var injected = await _editorA.Client.MultipartAsync("resource_create",
            new Dictionary<string, string> { ["package_id"] = _publicA, ["encoding"] = "utf-8\r\nX-Injected: 1" }, "odd.csv", Csv);
        Assert.That(injected.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(injected.Error.ContainsKey("encoding"), Is.True, injected.Body);
        using var http = NoRedirects();
        using (var a = await http.GetAsync(S(sjis, "url"))) Assert.That(a.Content.Headers.ContentType!.CharSet, Is.EqualTo("shift_jis"));
        using (var c = await http.GetAsync(S(none, "url"))) Assert.That(c.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/csv"));
    }

    [Test]
    public async Task Etag_and_range_follow_the_stored_file_not_the_hash_field()
    {
        var r = await UploadAsync(Csv, "ranged.csv");
        await _editorA.Client.CallAsync("resource_patch", new { id = S(r, "id"), hash = "md5:0123456789abcdef" });
        var (full, _) = await DownloadAsync(S(r, "url"));
        using (full) Assert.That(full.Headers.ETag!.Tag, Is.EqualTo($"\"{Sha(Csv)}\""));

        var (part, bytes) = await DownloadAsync(S(r, "url"), new RangeHeaderValue(0, 9));
        using (part)
        {
            Assert.That(part.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
            Assert.That(bytes, Is.EqualTo(Csv[..10]));
            AssertHardened(part);
        }

        using var http = NoRedirects();
        using var conditional = new HttpRequestMessage(HttpMethod.Get, S(r, "url"));
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{Sha(Csv)}\""));
        using var notModified = await http.SendAsync(conditional);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [TestCase("javascript:alert(document.domain)")]
    [TestCase("JavaScript:alert(1)//http://x")]
    [TestCase("data:text/html,<script>alert(1)</script>")]
    [TestCase("//evil.example/phish")]
    [TestCase("/api/3/action/site_read")]
    [TestCase("ftp://files.example.lg.jp/list.csv")]
    public async Task Links_that_are_not_absolute_http_are_not_redirected_to(string url)
    {
        var r = (await _editorA.Client.CallAsync("resource_create", new { package_id = _publicA, url }))!;
        var (response, _) = await DownloadAsync($"/dataset/{_publicA}/resource/{S(r, "id")}/download/x");
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Headers.Location, Is.Null);
        }
    }

    [TestCase("https://www.pref.mie.lg.jp/data/list.csv", "https://www.pref.mie.lg.jp/data/list.csv")]
    [TestCase("example.lg.jp/page", "http://example.lg.jp/page")]
    [TestCase("https://example.lg.jp/避難所.csv?年=2026", "https://example.lg.jp/%E9%81%BF%E9%9B%A3%E6%89%80.csv?%E5%B9%B4=2026")]
    public async Task Absolute_http_links_are_redirected_to_in_ascii_form(string url, string location)
    {
        var r = (await _editorA.Client.CallAsync("resource_create", new { package_id = _publicA, url }))!;
        var (response, _) = await DownloadAsync($"/dataset/{_publicA}/resource/{S(r, "id")}/download/x");
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo(location));
        }
    }

    [Test]
    public async Task Hash_is_capped_as_metadata()
    {
        var r = await UploadAsync(Csv, "capped.csv");
        var tooLong = await _editorA.Client.PostAsync("resource_patch", new { id = S(r, "id"), hash = new string('a', 257) });
        Assert.That(tooLong.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(tooLong.Error.ContainsKey("hash"), Is.True);
        var longest = await _editorA.Client.CallAsync("resource_patch", new { id = S(r, "id"), hash = new string('a', 256) });
        Assert.That(S(longest, "hash"), Has.Length.EqualTo(256));
    }

    [Test]
    public async Task Replacing_an_upload_by_a_link_forgets_the_file()
    {
        var r = await UploadAsync(Csv, "gone.csv");
        var rid = S(r, "id");
        var link = await _editorA.Client.CallAsync("resource_patch", new { id = rid, url = "https://example.lg.jp/new.csv", clear_upload = true });
        Assert.That(link!["url_type"], Is.Null);
        Assert.That(Directory.Exists(Path.Combine(Host.DataDir, "files", rid[..2], rid)), Is.False, "the unreachable file is removed");

        // Declaring it an upload again, with the old hash, brings nothing back.
        var revived = await _editorA.Client.CallAsync("resource_patch", new { id = rid, url = "gone.csv", url_type = "upload", hash = Sha(Csv) });
        Assert.That(revived!["url_type"], Is.Null);
        var (response, body) = await DownloadAsync(S(r, "url"));
        using (response) Assert.That(body, Is.Not.EqualTo(Csv));
    }

    [Test]
    public async Task File_names_in_content_disposition_are_quoted_safely()
    {
        // HttpClient will not put a quote in a part's file name; a MIME encoded-word carries it as a browser could.
        var name = "避難所 \"一覧\";x=1.csv";
        var part = new ByteArrayContent(Csv);
        part.Headers.TryAddWithoutValidation("Content-Disposition",
            $"form-data; name=\"upload\"; filename=\"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(name))}?=\"");
        using var form = new MultipartFormDataContent { { new StringContent(_publicA), "package_id" }, part };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/action/resource_create") { Content = form };
        var r = (await _editorA.Client.SendAsync(request)).Ok()!.AsObject();
        Assert.That(S(r, "url"), Does.EndWith("/download/" + Uri.EscapeDataString("避難所-一覧;x=1.csv")));
        var (response, _) = await DownloadAsync(S(r, "url"));
        using (response)
        {
            var raw = response.Content.Headers.GetValues("Content-Disposition").Single();
            Assert.That(raw, Is.EqualTo("inline; filename=\"___-__;x=1.csv\"; filename*=UTF-8''%E9%81%BF%E9%9B%A3%E6%89%80-%E4%B8%80%E8%A6%A7%3Bx%3D1.csv"));
            Assert.That(response.Content.Headers.ContentDisposition!.FileNameStar, Is.EqualTo("避難所-一覧;x=1.csv"));
        }
    }

    [Test]
    public void Content_disposition_never_carries_line_breaks_or_bare_quotes()
    {
        var value = FileResponses.ContentDisposition(inline: false, "a\"b\r\nSet-Cookie: x=1\\.html");
        Assert.That(value, Does.Not.Contain("\r").And.Not.Contain("\n"));
        Assert.That(value, Does.StartWith("attachment; filename=\"a_b__Set-Cookie: x=1_.html\"; filename*=UTF-8''"));
        Assert.That(value, Does.EndWith("a%22b%0D%0ASet-Cookie%3A%20x%3D1%5C.html"));
        Assert.That(FileResponses.ContentDisposition(inline: true, "plain.csv"), Is.EqualTo("inline; filename=\"plain.csv\""));
    }

    [Test]
    public void Blob_paths_stay_under_the_file_store()
    {
        var blobs = new BlobStore(Options.Create(new CatalogOptions { DataDir = Host.DataDir }));
        var rid = Guid.NewGuid().ToString();
        var sha = Sha(Csv);
        Assert.That(blobs.PathFor(rid, sha), Is.EqualTo(Path.Combine(Path.GetFullPath(Host.DataDir), "files", rid[..2], rid, sha)));
        foreach (var bad in new[] { "../../../catalog.db", "/etc/passwd", sha.ToUpperInvariant(), sha[..63], sha + "0", "", ".." })
            Assert.Throws<ArgumentException>(() => blobs.PathFor(rid, bad), bad);
        foreach (var badId in new[] { "..", "../x", "/etc", "a", "a/../../b" })
            Assert.Throws<ArgumentException>(() => blobs.PathFor(badId, sha), badId);
    }

    /// <summary>The SQLite database (its header) or /etc/passwd (its first entry).</summary>
    private static bool IsForeign(byte[] body) =>
        Encoding.ASCII.GetString(body) is var text && (text.StartsWith("SQLite format 3", StringComparison.Ordinal) || text.StartsWith("root:", StringComparison.Ordinal));

    private static void AssertHardened(HttpResponseMessage response)
    {
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.That(csp, Does.Contain("default-src 'none'").And.Contain("sandbox").And.Contain("frame-ancestors 'none'"));
    }
}

/// <summary>
/// Stores made before downloads stopped trusting <c>hash</c>: the migration keeps an upload's file only where the
/// hash is still exactly what the store computes.
/// </summary>
public sealed class ResourceBlobMigrationTests
{
    [Test]
    public async Task Existing_uploads_keep_their_file_only_when_hash_is_a_lowercase_sha256()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Catalog:DataDir"] = dataDir };
        var csv = Encoding.UTF8.GetBytes("a,b\n1,2\n");
        try
        {
            JsonNode kept, traversal, upper;
            using (var before = new CatalogHost(settings: settings))
            {
                using var admin = before.Sysadmin();
                await admin.CallAsync("organization_create", new { name = "mig-org" });
                var pid = (await admin.CallAsync("package_create", new { name = "mig-ds", owner_org = "mig-org" }))!["id"]!.GetValue<string>();
                async Task<JsonNode> Upload(string name) =>
                    (await admin.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = pid }, name, csv)).Ok()!;
                kept = await Upload("kept.csv");
                traversal = await Upload("traversal.csv");
                upper = await Upload("upper.csv");
                await admin.CallAsync("resource_patch", new { id = traversal["id"]!.GetValue<string>(), hash = "../../../catalog.db" });
                await admin.CallAsync("resource_patch", new { id = upper["id"]!.GetValue<string>(), hash = kept["hash"]!.GetValue<string>().ToUpperInvariant() });
            }

            // Back to the schema before the column: the hash field was all there was.
            await using (var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "catalog.db")};Pooling=False"))
            {
                await db.OpenAsync();
                await using var cmd = db.CreateCommand();
                cmd.CommandText = """
                    ALTER TABLE "resource" DROP COLUMN "BlobSha256";
                    DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" LIKE '%_ResourceBlob';
                    """;
                await cmd.ExecuteNonQueryAsync();
            }

            using var after = new CatalogHost(settings: settings);
            using var http = after.Client().Http;
            string Url(JsonNode r) => new Uri(r["url"]!.GetValue<string>()).PathAndQuery;
            Assert.That(await http.GetByteArrayAsync(Url(kept)), Is.EqualTo(csv));
            using (var t = await http.GetAsync(Url(traversal)))
            {
                Assert.That(t.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                Assert.That(Encoding.ASCII.GetString(await t.Content.ReadAsByteArrayAsync()), Does.Not.StartWith("SQLite format 3"));
            }
            using (var u = await http.GetAsync(Url(upper)))
                Assert.That(u.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }
}
