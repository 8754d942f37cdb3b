using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Seeding;

/// <summary>A first start fills the catalog from samples/seed through the actions; a second start adds nothing.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class SeedTests(TestStore store)
{
    private CatalogHost _host = null!;
    private CkanClient _anon = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _host = new CatalogHost(seed: true, store: store);
        _anon = _host.Client();
    }

    [OneTimeTearDown] public void Stop() => _host.Dispose();

    [Test]
    public async Task Thirteen_categories_become_groups()
    {
        var groups = (await _anon.CallAsync("group_list", new { all_fields = true, limit = 25 }))!.AsArray();
        Assert.That(groups.Count, Is.EqualTo(13));
        Assert.That(groups.Select(g => g!["title"]!.GetValue<string>()), Does.Contain("防災・災害").And.Contain("新型コロナウィルス関係"));
    }

    [Test]
    public async Task Departments_are_organizations_with_the_prefecture_code()
    {
        var names = (await _anon.CallAsync("organization_list"))!.AsArray();
        Assert.That(names.Count, Is.GreaterThanOrEqualTo(5));
        var org = (await _anon.CallAsync("organization_show", new { id = names[0]!.GetValue<string>() }))!;
        Assert.That(org["extras"]!.AsArray().Any(e => e!["key"]!.GetValue<string>() == "lg_code" && e["value"]!.GetValue<string>() == "240001"), Is.True);
    }

    [Test]
    public async Task Forty_plus_public_datasets_with_csv_files_and_private_ones_hidden()
    {
        var names = (await _anon.CallAsync("package_list"))!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.That(names.Count, Is.GreaterThanOrEqualTo(40));
        Assert.That(names, Has.All.StartWith("240001_"));
        var all = (await _host.Sysadmin().CallAsync("current_package_list_with_resources", new { limit = 1000 }))!.AsArray();
        Assert.That(all.Count(p => p!["private"]!.GetValue<bool>()), Is.GreaterThan(0), "the seed shows privacy too");
        Assert.That(all.Where(p => p!["private"]!.GetValue<bool>()).Select(p => p!["name"]!.GetValue<string>()), Has.None.AnyOf(names.ToArray()));
    }

    [Test]
    public async Task Shift_jis_files_are_kept_byte_for_byte()
    {
        var all = (await _anon.CallAsync("current_package_list_with_resources", new { limit = 1000 }))!.AsArray();
        var sjis = all.SelectMany(p => p!["resources"]!.AsArray())
            .First(r => r!["encoding"]?.GetValue<string>() == "shift_jis" && r["url_type"]?.GetValue<string>() == "upload")!;
        var bytes = await _anon.Http.GetByteArrayAsync(sjis["url"]!.GetValue<string>());
        Assert.That(bytes.LongLength, Is.EqualTo(sjis["size"]!.GetValue<long>()));
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var text = Encoding.GetEncoding(932).GetString(bytes);
        Assert.That(text, Does.Not.Contain("\uFFFD"), "decodes cleanly as CP932");
        Assert.That(text, Does.Match(@"\p{IsCJKUnifiedIdeographs}"));
        Assert.That(Encoding.UTF8.GetString(bytes), Does.Contain("\uFFFD"), "and is not UTF-8: the bytes were not re-encoded");
    }

    [Test]
    public async Task A_second_start_on_the_same_data_adds_nothing()
    {
        // One data folder belongs to one running catalog (the search index takes a write lock), so restart in turn.
        var dataDir = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Catalog:DataDir"] = dataDir };
        using var database = store == TestStore.Postgres ? TestPostgresDatabase.Create() : null;
        try
        {
            int before;
            using (var first = new CatalogHost(seed: true, settings: settings, store: store, postgresConnection: database?.ConnectionString))
                before = (await first.Client().CallAsync("package_list"))!.AsArray().Count;
            using var again = new CatalogHost(seed: true, settings: settings, store: store, postgresConnection: database?.ConnectionString);
            var after = (await again.Client().CallAsync("package_list"))!.AsArray().Count;
            Assert.That(before, Is.GreaterThanOrEqualTo(40));
            Assert.That(after, Is.EqualTo(before));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
