using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Security;

/// <summary>
/// A private dataset with a word, a tag, a format and a file found nowhere else; then every read action the
/// registry knows and every GET endpoint the host maps is asked, with every plausible parameter, by three callers
/// who may not read it: anonymous, an editor of another organization, a signed-in user of no organization.
/// None of the secrets may appear in any answer, and no answer is a 500. New actions and endpoints are swept
/// without changing this test.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class PrivateDataSweepTests(TestStore store) : CatalogApiTests(store)
{
    private const string Word = "秘匿語ぬるぽ";
    private const string Tag = "秘匿タグzqx";
    private const string Format = "ZQXFMT";
    private const string FileContent = "id,secret\n1,ZQXFILEBODY\n";
    private const string FileBody = "ZQXFILEBODY";

    private readonly string _ownerOrg = Unique("sweep-owner");
    private readonly string _otherOrg = Unique("sweep-other");
    private readonly string _group = Unique("sweep-group");
    private readonly string _datasetName = Unique("sweep-secret");
    private JsonObject _dataset = null!;
    private string _resourceId = null!;
    private readonly List<(string Who, CkanClient Client)> _outsiders = [];

    private static string Unique(string prefix) => CatalogFixtures.Unique(prefix);

    /// <summary>Every surface on, so the sweep asks the optional ones too.</summary>
    protected override CatalogHost CreateHost() => new(store: Store, settings: new() { ["Catalog:DataStore:SqlSearch"] = "true" });

    protected override async Task ArrangeAsync()
    {
        var editor = await Fixtures.UserAsync(Unique("sweep-editor"));
        await Fixtures.OrganizationAsync(_ownerOrg, (editor.Name, "editor"));
        var outsider = await Fixtures.UserAsync(Unique("sweep-outsider"));
        await Fixtures.OrganizationAsync(_otherOrg, (outsider.Name, "editor"));
        var nobody = await Fixtures.UserAsync(Unique("sweep-nobody"));
        await Fixtures.GroupAsync(_group, (outsider.Name, "member"));

        // A public neighbour, so the organization, group and tag lists have something to show.
        await Fixtures.DatasetAsync(Unique("sweep-public"), _ownerOrg, extra: new { groups = new[] { new { name = _group } } });
        _dataset = await Fixtures.DatasetAsync(_datasetName, _ownerOrg, isPrivate: true, extra: new
        {
            title = $"題名 {Word}",
            notes = $"説明 {Word}",
            tags = new[] { new { name = Tag } },
            groups = new[] { new { name = _group } },
            extras = new[] { new { key = "secret_key", value = Word } },
        });
        var resource = await Admin.MultipartAsync("resource_create", new Dictionary<string, string>
        {
            ["package_id"] = _datasetName, ["name"] = $"資源 {Word}", ["format"] = Format,
        }, "secret.csv", Encoding.UTF8.GetBytes(FileContent));
        _resourceId = resource.Ok()!["id"]!.GetValue<string>();
        await Admin.CallAsync("package_patch", new { id = _datasetName, notes = $"更新 {Word}" });
        // The file's rows are loaded in the background: wait, so the DataStore reads have rows to withhold.
        for (var i = 0; i < 300; i++)
        {
            var info = await Admin.PostAsync("datastore_info", new { id = _resourceId });
            if (info.Status == HttpStatusCode.OK && info.Result!["meta"]!["datastore_active"]!.GetValue<bool>()) break;
            await Task.Delay(100);
        }

        _outsiders.Add(("anonymous", Anon));
        _outsiders.Add(("editor of another organization", outsider.Client));
        _outsiders.Add(("user of no organization", nobody.Client));
    }

    private IEnumerable<string> Secrets() =>
        [Word, Tag, Format, FileBody, _datasetName, _dataset["id"]!.GetValue<string>(), _resourceId];

    [Test]
    public async Task The_secrets_are_there_for_a_sysadmin()
    {
        var found = await Admin.CallAsync("package_search", new { q = Word, include_private = true });
        Assert.That(found!["count"]!.GetValue<int>(), Is.EqualTo(1));
        var shown = (await Admin.PostAsync("package_show", new { id = _datasetName })).Body;
        foreach (var secret in new[] { Word, Tag, Format, _resourceId }) Assert.That(shown, Does.Contain(secret));
        var download = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, DownloadPath()));
        Assert.That(download.Body, Does.Contain(FileBody));
        var rows = await Admin.PostAsync("datastore_search", new { resource_id = _resourceId, q = "ZQX" });
        Assert.That(rows.Body, Does.Contain(FileBody));
        var dump = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/datastore/dump/{_resourceId}"));
        Assert.That(dump.Body, Does.Contain(FileBody));
    }

    [Test]
    public async Task No_read_action_shows_a_private_dataset_to_a_caller_who_may_not_read_it()
    {
        var registry = Host.Services.GetRequiredService<ActionDispatcher>().Registry;
        var reads = registry.All.Where(a => a.SideEffectFree).Select(a => a.Name).ToList();
        Assert.That(reads, Has.Count.GreaterThan(20));

        var answered = 0;
        var leaks = new List<string>();
        foreach (var action in reads)
        foreach (var data in ParameterSets())
        foreach (var (who, client) in _outsiders)
        {
            var response = await client.PostAsync(action, data);
            if (response.Status == HttpStatusCode.InternalServerError)
                leaks.Add($"{action} {data.ToJsonString()} as {who}: 500");
            if (response.Status == HttpStatusCode.OK) answered++;
            var asked = Strings(data).ToList();
            // A refusal may echo what the caller sent; anything else it shows is a leak.
            foreach (var secret in Secrets().Where(s => !asked.Any(a => a.Contains(s, StringComparison.Ordinal))))
                if (response.Body.Contains(secret, StringComparison.Ordinal))
                    leaks.Add($"{action} {data.ToJsonString()} as {who} shows {secret}");
        }
        Assert.That(Summary(leaks), Is.Empty);
        // The sweep asked real questions: many answers were successful ones.
        Assert.That(answered, Is.GreaterThan(reads.Count * _outsiders.Count));
    }

    [Test]
    public async Task No_page_or_file_endpoint_shows_a_private_dataset_to_a_caller_who_may_not_read_it()
    {
        var routes = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") != false)
            .Select(e => e.RoutePattern.RawText!)
            .Where(p => !p.Contains("{name}", StringComparison.Ordinal)) // the action API, swept above
            .Distinct().ToList();
        Assert.That(routes, Has.Some.Contains("download"));

        var leaks = new List<string>();
        foreach (var route in routes)
        foreach (var path in Expand(route))
        foreach (var (who, client) in _outsiders)
        {
            var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
            if (response.Status == HttpStatusCode.InternalServerError) leaks.Add($"{path} as {who}: 500");
            foreach (var secret in Secrets().Where(s => !path.Contains(Uri.EscapeDataString(s), StringComparison.Ordinal)))
                if (response.Body.Contains(secret, StringComparison.Ordinal)) leaks.Add($"{path} as {who} shows {secret}");
        }
        Assert.That(Summary(leaks), Is.Empty);
    }

    /// <summary>One line per distinct finding (the first of its kind in full), so a failure names every leak.</summary>
    private static List<string> Summary(List<string> leaks) =>
        leaks.GroupBy(l => (l.Split(' ')[0], l.Split(' ')[^1])).Select(g => $"{g.First()} (+{g.Count() - 1} alike)").ToList();

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Strings(kv.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private string DownloadPath() => $"/dataset/{_datasetName}/resource/{_resourceId}/download/secret.csv";

    /// <summary>Every route with its parameters filled by each value that names the private dataset or its parts.</summary>
    private IEnumerable<string> Expand(string route)
    {
        var values = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["id"] = [_datasetName, _dataset["id"]!.GetValue<string>(), _ownerOrg, _group],
            ["resourceId"] = [_resourceId],
            ["resource_id"] = [_resourceId],
            ["fileName"] = ["secret.csv"],
        };
        IEnumerable<string> paths = ["/" + route.TrimStart('/')];
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(route, @"\{(\*{0,2})([A-Za-z_]+)[^}]*\}"))
        {
            var name = m.Groups[2].Value;
            var options = values.GetValueOrDefault(name) ?? [_datasetName];
            var token = m.Value;
            paths = paths.SelectMany(p => options.Select(v => p.Replace(token, Uri.EscapeDataString(v))));
        }
        return paths;
    }

    /// <summary>Each parameter a read action might take, naming the private dataset, its resource, tag or word.</summary>
    private IEnumerable<JsonObject> ParameterSets()
    {
        var id = _dataset["id"]!.GetValue<string>();
        yield return [];
        foreach (var value in new[] { _datasetName, id, _resourceId, _ownerOrg, _group, Tag })
        {
            yield return new JsonObject { ["id"] = value };
            yield return new JsonObject { ["id"] = value, ["include_datasets"] = true, ["all_fields"] = true, ["include_private"] = true };
            yield return new JsonObject { ["id"] = value, ["object_type"] = "package" };
        }
        yield return new JsonObject { ["package_id"] = id };
        yield return new JsonObject { ["resource_id"] = _resourceId };
        yield return new JsonObject { ["resource_id"] = _resourceId, ["q"] = "ZQX", ["filters"] = new JsonObject { ["secret"] = FileBody } };
        yield return new JsonObject { ["resource_id"] = _resourceId, ["q"] = new JsonObject { ["secret"] = "ZQX" }, ["records_format"] = "csv" };
        yield return new JsonObject { ["sql"] = $"SELECT * FROM \"{_resourceId}\"" };
        yield return new JsonObject { ["tag"] = Tag };
        foreach (var q in new[] { Word, Tag, Format, "秘匿", "ZQX", "sweep", "secret", "*:*" })
        {
            yield return new JsonObject { ["q"] = q };
            yield return new JsonObject { ["q"] = q, ["include_private"] = true, ["include_drafts"] = true, ["rows"] = 1000 };
            yield return new JsonObject { ["query"] = q };
            yield return new JsonObject { ["query"] = new JsonArray($"name:{q}"), ["fields"] = new JsonObject { ["name"] = q } };
        }
        yield return new JsonObject
        {
            ["fq"] = $"tags:{Tag}", ["include_private"] = true,
            ["facet.field"] = new JsonArray("tags", "res_format", "organization", "groups"), ["facet.limit"] = -1,
        };
        yield return new JsonObject { ["all_fields"] = true, ["include_dataset_count"] = true, ["include_extras"] = true, ["include_tags"] = true };
        yield return new JsonObject { ["limit"] = 1000 };
    }
}
