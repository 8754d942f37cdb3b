using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Harvester.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Catalog.Tests.Harvest;

/// <summary>The address guard, and a server that misbehaves in every way a department site can.</summary>
public sealed class HarvestFaultTests
{
    private static string Page(string title, string file) =>
        $"<!DOCTYPE html><html><body><h1>{title}</h1><div id=\"content\"><p>{title}のデータです。</p>" +
        $"<ul><li><a href=\"{file}\">{title}（CSV）</a></li></ul></div></body></html>";

    [Test]
    public async Task A_source_on_a_loopback_address_without_the_flag_is_refused_and_imports_nothing()
    {
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var host = new CatalogHost(settings: HarvestCalls.FastHttp);
        var admin = host.Sysadmin();
        var source = HarvestCalls.SampleSource(site);
        source["config"]!["allow_private_addresses"] = false;
        var job = await HarvestCalls.RunAsync(admin, await HarvestCalls.CreateSourceAsync(admin, source));

        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("Finished"));
        var errors = job["gather_errors"]!.AsArray();
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0]!["message"]!.GetValue<string>(), Does.Contain("allow_private_addresses").And.Contain("127.0.0.1"));
        Assert.That(HarvestCalls.Stat(job, "added"), Is.EqualTo(0));
        var count = (await admin.CallAsync("package_search", new { q = "*:*" }))!["count"]!.GetValue<int>();
        Assert.That(count, Is.EqualTo(0));
    }

    [Test]
    public async Task A_redirect_from_an_allowed_host_to_a_refused_address_is_refused()
    {
        // Loopback stands in for the internet here: 127.0.0.1 counts as public, 127.0.0.2 as private.
        await using var inside = await TestSite.StartAsync(IPAddress.Parse("127.0.0.2"), app =>
            app.MapGet("/secret.csv", () => "a,b\n1,2\n"));
        await using var outside = await TestSite.StartAsync(IPAddress.Loopback, app =>
        {
            app.MapGet("/go.csv", () => Results.Redirect($"{inside.BaseUrl}/secret.csv"));
            app.MapGet("/plain.csv", () => "a,b\n1,2\n");
        });
        static bool Refused(IPAddress a) => a.Equals(IPAddress.Parse("127.0.0.2"));
        var fetcher = new HarvestFetcher(new Clients(HarvestFetcher.CreateHandler(false, Refused)),
            new HarvestHttpOptions { RetryDelay = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(2) });

        using (var ok = await fetcher.FetchAsync(new Uri($"{outside.BaseUrl}/plain.csv"), allowPrivate: false, maxBytes: 1000))
            Assert.That(ok.Size, Is.EqualTo(8));
        var refused = await Assert.ThrowsAsync<FetchException>(() =>
            fetcher.FetchAsync(new Uri($"{outside.BaseUrl}/go.csv"), allowPrivate: false, maxBytes: 1000));
        Assert.That(refused!.Refused, Is.True);
        Assert.That(refused.Message, Does.Contain("127.0.0.2"));
    }

    [TestCase("127.0.0.1", true)]
    [TestCase("10.1.2.3", true)]
    [TestCase("172.16.0.1", true)]
    [TestCase("192.168.1.1", true)]
    [TestCase("169.254.169.254", true)]
    [TestCase("100.64.0.1", true)]
    [TestCase("0.0.0.0", true)]
    [TestCase("::1", true)]
    [TestCase("fe80::1", true)]
    [TestCase("fd00::1", true)]
    [TestCase("::ffff:127.0.0.1", true)]
    [TestCase("203.0.113.9", false)]
    [TestCase("8.8.8.8", false)]
    [TestCase("2001:4860:4860::8888", false)]
    public void Private_addresses_are_told_apart(string address, bool isPrivate) =>
        Assert.That(AddressGuard.IsPrivate(IPAddress.Parse(address)), Is.EqualTo(isPrivate));

    [Test]
    public async Task Faults_never_crash_a_job_nor_half_import_and_each_is_an_object_error()
    {
        var tooMany = 0;
        await using var site = await TestSite.StartAsync(IPAddress.Loopback, app =>
        {
            var pages = new (string Path, string Title, string File)[]
            {
                ("/p/ok.htm", "正常", "/f/ok.csv"),
                ("/p/500.htm", "常に500", "/f/500.csv"),
                ("/p/429.htm", "一度429", "/f/429.csv"),
                ("/p/slow.htm", "応答なし", "/f/slow.csv"),
                ("/p/trunc.htm", "途中で切断", "/f/trunc.csv"),
                ("/p/loop.htm", "リダイレクトの輪", "/f/loop.csv"),
                ("/p/html.htm", "HTMLが返る", "/f/html.csv"),
            };
            app.MapGet("/index.html", () => Results.Content(
                "<html><body><h2>一覧</h2>" + string.Concat(pages.Select(p => $"<a href=\"{p.Path}\">{p.Title}</a>")) + "</body></html>", "text/html"));
            foreach (var p in pages) app.MapGet(p.Path, () => Results.Content(Page(p.Title, p.File), "text/html; charset=utf-8"));
            app.MapGet("/p/broken.htm", () => Results.StatusCode(500));
            app.MapGet("/f/ok.csv", () => Results.Text("a,b\n1,2\n", "text/csv"));
            app.MapGet("/f/500.csv", () => Results.StatusCode(500));
            app.MapGet("/f/429.csv", (HttpContext c) =>
            {
                if (Interlocked.Increment(ref tooMany) == 1)
                {
                    c.Response.Headers.RetryAfter = "1";
                    return Results.StatusCode(429);
                }
                return Results.Text("a,b\n3,4\n", "text/csv");
            });
            app.MapGet("/f/slow.csv", async (CancellationToken ct) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                return Results.Text("late", "text/csv");
            });
            app.MapGet("/f/trunc.csv", async (HttpContext c) =>
            {
                c.Response.ContentLength = 1000;
                await c.Response.Body.WriteAsync(Encoding.ASCII.GetBytes("a,b\n1,2\n"));
                await c.Response.Body.FlushAsync();
                c.Abort();
            });
            app.MapGet("/f/loop.csv", () => Results.Redirect("/f/loop.csv"));
            app.MapGet("/f/html.csv", () => Results.Content("<!DOCTYPE html><html><body>ページが見つかりません</body></html>", "text/html"));
        });
        using var host = new CatalogHost(settings: HarvestCalls.FastHttp);
        var admin = host.Sysadmin();
        await admin.CallAsync("organization_create", new { name = "faulty-org", title = "障害試験" });
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, new JsonObject
        {
            ["name"] = "faulty", ["url"] = $"{site.BaseUrl}/index.html", ["source_type"] = "web", ["owner_org"] = "faulty-org",
            ["config"] = """{"allow_private_addresses": true, "ignore_robots": true, "selectors": {"content": "#content"}}""",
        });
        var job = await HarvestCalls.RunAsync(admin, sourceId);

        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("Finished"), job.ToJsonString());
        Assert.That(job["gather_errors"]!.AsArray(), Is.Empty);
        Assert.That(HarvestCalls.Stat(job, "added"), Is.EqualTo(2), job.ToJsonString());
        Assert.That(HarvestCalls.Stat(job, "errored"), Is.EqualTo(5), job.ToJsonString());

        var objects = (await admin.CallAsync("harvest_object_list", new { job_id = job["id"]!.GetValue<string>() }))!.AsArray().OfType<JsonObject>().ToList();
        var expected = new Dictionary<string, string>
        {
            ["/p/500.htm"] = "500", ["/p/slow.htm"] = "no answer", ["/p/trunc.htm"] = "", ["/p/loop.htm"] = "redirects", ["/p/html.htm"] = "HTML",
        };
        foreach (var (path, words) in expected)
        {
            var o = objects.Single(x => x["guid"]!.GetValue<string>().EndsWith(path, StringComparison.Ordinal));
            var shown = (await admin.CallAsync("harvest_object_show", new { id = o["id"]!.GetValue<string>() }))!.AsObject();
            Assert.That(shown["state"]!.GetValue<string>(), Is.EqualTo("ERROR"), path);
            var messages = shown["errors"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).ToList();
            Assert.That(messages, Has.Count.GreaterThan(0), path);
            Assert.That(string.Join(" ", messages), Does.Contain(words), path);
            Assert.That(shown["package_id"], Is.Null, path);
        }
        var datasets = (await admin.CallAsync("package_search", new { q = "*:*" }))!["count"]!.GetValue<int>();
        Assert.That(datasets, Is.EqualTo(2), "only the pages whose files all arrived");
    }

    [Test]
    public async Task A_file_the_catalog_refuses_to_store_leaves_no_dataset_and_the_next_run_completes_it()
    {
        // The CSV's bytes are a PDF's: it fetches and profiles, but the store refuses it when the dataset is written.
        var fixedUp = false;
        await using var site = await TestSite.StartAsync(IPAddress.Loopback, app =>
        {
            app.MapGet("/index.html", () => Results.Content("<html><body><a href=\"/p/two.htm\">二つのファイル</a></body></html>", "text/html"));
            app.MapGet("/p/two.htm", () => Results.Content(
                "<!DOCTYPE html><html><body><h1>二つのファイル</h1><div id=\"content\"><p>二つのファイルのデータです。</p>" +
                "<ul><li><a href=\"/f/good.csv\">良いファイル（CSV）</a></li><li><a href=\"/f/bad.csv\">悪いファイル（CSV）</a></li></ul></div></body></html>",
                "text/html; charset=utf-8"));
            app.MapGet("/f/good.csv", () => Results.Text("a,b\n1,2\n", "text/csv"));
            app.MapGet("/f/bad.csv", () => Results.Text(Volatile.Read(ref fixedUp) ? "c,d\n3,4\n" : "%PDF-1.4,x\n1,2\n", "text/csv"));
        });
        using var host = new CatalogHost(settings: HarvestCalls.FastHttp);
        var admin = host.Sysadmin();
        await admin.CallAsync("organization_create", new { name = "refused-org", title = "保存拒否試験" });
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, new JsonObject
        {
            ["name"] = "refused-file", ["url"] = $"{site.BaseUrl}/index.html", ["source_type"] = "web", ["owner_org"] = "refused-org",
            ["config"] = """{"allow_private_addresses": true, "ignore_robots": true, "requests_per_second": 0, "selectors": {"content": "#content"}}""",
        });

        var first = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(first, "errored"), Is.EqualTo(1), first.ToJsonString());
        Assert.That(HarvestCalls.Stat(first, "added"), Is.Zero, first.ToJsonString());
        var objects = (await admin.CallAsync("harvest_object_list", new { job_id = first["id"]!.GetValue<string>() }))!.AsArray();
        var shown = (await admin.CallAsync("harvest_object_show", new { id = objects.Single()!["id"]!.GetValue<string>() }))!.AsObject();
        Assert.That(shown["state"]!.GetValue<string>(), Is.EqualTo("ERROR"));
        Assert.That(string.Join(" ", shown["errors"]!.AsArray().Select(e => e!["message"]!.GetValue<string>())), Does.Contain(".csv"), shown.ToJsonString());
        Assert.That((await admin.CallAsync("package_search", new { q = "*:*" }))!["count"]!.GetValue<int>(), Is.Zero,
            "neither the dataset nor its good file was written");

        Volatile.Write(ref fixedUp, true);
        var second = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(second, "added"), Is.EqualTo(1), second.ToJsonString());
        var found = (await admin.CallAsync("package_search", new { q = "*:*" }))!["results"]!.AsArray().Single()!.AsObject();
        var resources = found["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.That(resources, Has.Count.EqualTo(2));
        Assert.That(resources.Select(r => r["url_type"]?.GetValue<string>()), Is.All.EqualTo("upload"), "both files stored with the dataset");
    }

    private sealed class Clients(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
