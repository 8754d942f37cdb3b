using System.Text.Json.Nodes;
using Catalog.Tests.Infrastructure;

namespace Catalog.Tests.Harvested;

/// <summary>
/// ckanext-harvest's CKAN harvester against us, request for request (docs/ckan-api §5): package_search with
/// rows=100, start, sort=id asc, fq by organization, incremental metadata_modified ranges with fractional seconds,
/// stop at the first empty page; organization_show and group_show by id. Every dataset arrives once, no private
/// one, and every dict passes CKAN's create rules on the harvesting side.
/// </summary>
public sealed class CkanHarvesterGatherTests : CatalogApiTests
{
    private readonly Dictionary<string, JsonObject> _byOrg = [];
    private readonly HashSet<string> _expected = [];
    private string _groupId = "";

    protected override async Task ArrangeAsync()
    {
        foreach (var org in new[] { "gather-a", "gather-b", "gather-c" })
            _byOrg[org] = await Fixtures.OrganizationAsync(org);
        _groupId = (await Fixtures.GroupAsync("gather-group"))["id"]!.GetValue<string>();
        for (var i = 0; i < 230; i++)
        {
            var org = i % 10 == 9 ? "gather-c" : i % 3 == 0 ? "gather-b" : "gather-a";
            var d = await Fixtures.DatasetAsync($"gather-{i:D3}", org, extra: new
            {
                tags = new[] { new { name = "人口" }, new { name = "open-data 2024.v1" } },
                author_email = "toukei@pref.mie.lg.jp",
                groups = i % 7 == 0 ? new[] { new { name = "gather-group" } } : [],
                resources = new[] { new { url = $"https://example.org/{i}.csv", format = "CSV" } },
            });
            if (org != "gather-c") _expected.Add(d["id"]!.GetValue<string>());
        }
        await Fixtures.DatasetAsync("gather-private", "gather-a", isPrivate: true);
    }

    /// <summary>The gather loop of ckanharvester.py: start += 100 until a page has no results.</summary>
    private async Task<List<JsonObject>> GatherAsync(string fq)
    {
        var found = new List<JsonObject>();
        string? previous = null;
        for (var start = 0; ; start += 100)
        {
            var query = $"rows=100&start={start}&sort=id+asc&fq={Uri.EscapeDataString(fq)}";
            var response = await Anon.GetAsync("package_search", query);
            Assert.That(response.Success, Is.True, response.Body);
            var results = response.Result!["results"]!.AsArray();
            if (results.Count == 0) break;
            Assert.That(response.Body, Is.Not.EqualTo(previous), "paging doesn't seem to work");
            previous = response.Body;
            found.AddRange(results.Select(r => r!.AsObject()));
            Assert.That(start, Is.LessThan(1000));
        }
        return found;
    }

    [Test]
    public async Task A_full_gather_by_organization_brings_every_dataset_once()
    {
        var found = await GatherAsync("organization:gather-a OR organization:gather-b");
        var ids = found.Select(d => d["id"]!.GetValue<string>()).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Is.EquivalentTo(_expected));
        Assert.That(ids, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [Test]
    public async Task An_excluding_filter_leaves_the_organization_out()
    {
        var found = await GatherAsync("-organization:gather-c");
        var ids = found.Select(d => d["id"]!.GetValue<string>()).ToHashSet();
        Assert.That(ids.IsSupersetOf(_expected), Is.True);
        Assert.That(found.Any(d => d["organization"]!["name"]!.GetValue<string>() == "gather-c"), Is.False);
        Assert.That(found.Any(d => d["name"]!.GetValue<string>() == "gather-private"), Is.False);
    }

    [Test]
    public async Task An_incremental_gather_brings_what_changed_since_with_fractional_seconds()
    {
        const string fq = "organization:gather-a OR organization:gather-b";
        var all = await GatherAsync(fq);
        // The harvester's own arithmetic: a past moment with microseconds, then "Z TO *".
        var stamps = all.Select(d => d["metadata_modified"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        static DateTime At(string s) => DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        var (before, after) = (At(stamps[stamps.Count / 2 - 1]), At(stamps[stamps.Count / 2]));
        var since = (before + (after - before) / 2).ToString("yyyy-MM-ddTHH:mm:ss.ffffff");
        var expected = all.Where(d => string.CompareOrdinal(d["metadata_modified"]!.GetValue<string>(), stamps[stamps.Count / 2]) >= 0)
            .Select(d => d["id"]!.GetValue<string>());
        var found = await GatherAsync($"{fq} metadata_modified:[{since}Z TO *]");
        // Nothing changed since may be missed (the harvester would lose it); a wider page is only re-checked by the
        // harvester's metadata_modified comparison. The index's range is coarser than microseconds today.
        var ids = found.Select(d => d["id"]!.GetValue<string>()).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Is.SupersetOf(expected));
        Assert.That(ids, Has.Count.LessThan(all.Count));
        var nothing = await GatherAsync($"organization:gather-a metadata_modified:[{DateTime.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ss.ffffff}Z TO *]");
        Assert.That(nothing, Is.Empty);
    }

    [Test]
    public async Task Every_harvested_dict_passes_ckans_create_rules()
    {
        var found = await GatherAsync("organization:gather-a OR organization:gather-b");
        var failures = found.Select(d => (Name: d["name"]!.GetValue<string>(), Errors: CkanCreateRules.Check(d)))
            .Where(f => f.Errors.Count > 0).Select(f => $"{f.Name}: {string.Join("; ", f.Errors)}");
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task The_checker_does_reject_what_ckan_rejects()
    {
        var bad = new JsonObject
        {
            ["name"] = "Bad Name", ["author_email"] = "not an email",
            ["tags"] = new JsonArray(new JsonObject { ["name"] = "a" }, new JsonObject { ["name"] = "データ/統計" }),
        };
        Assert.That(CkanCreateRules.Check(bad), Has.Count.EqualTo(4));
    }

    [Test]
    public async Task Organizations_and_groups_are_shown_by_id()
    {
        var found = await GatherAsync("organization:gather-a");
        var ownerOrg = found[0]["owner_org"]!.GetValue<string>();
        Assert.That(ownerOrg, Is.EqualTo(_byOrg["gather-a"]["id"]!.GetValue<string>()));
        var org = await Anon.GetAsync("organization_show", $"id={ownerOrg}");
        Assert.That(org.Result!["name"]!.GetValue<string>(), Is.EqualTo("gather-a"));
        var groupId = found.SelectMany(d => d["groups"]!.AsArray()).First()!["id"]!.GetValue<string>();
        Assert.That(groupId, Is.EqualTo(_groupId));
        var group = await Anon.GetAsync("group_show", $"id={groupId}");
        Assert.That(group.Result!["name"]!.GetValue<string>(), Is.EqualTo("gather-group"));
    }
}
