using System.Net;

namespace Catalog.Tests.Ckan;

/// <summary>package_resource_reorder as ckanapi calls it: named resources first, the rest in their order.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class PackageResourceReorderTests(TestStore store) : CatalogApiTests(store)
{
    private TestUser _editor = null!;
    private TestUser _outsider = null!;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("reorder-org");
        _editor = await Fixtures.MemberAsync("reorder-editor", "reorder-org", "editor");
        _outsider = await Fixtures.UserAsync("reorder-outsider");
    }

    private async Task<List<string>> DatasetAsync(string name)
    {
        var p = await Fixtures.DatasetAsync(name, "reorder-org", extra: new
        {
            resources = new[] { "a", "b", "c" }.Select(n => new { name = $"{n}.csv", url = $"https://e.lg.jp/{n}.csv" }).ToArray(),
        });
        return p["resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
    }

    [Test]
    public async Task Named_resources_come_first_and_the_order_is_saved()
    {
        var ids = await DatasetAsync("reorder-ok");
        var r = await _editor.Client.PostAsync("package_resource_reorder", new { id = "reorder-ok", order = new[] { ids[2] } });
        Golden.AssertMatches("package_resource_reorder", r.Envelope, Host.BaseUrl);
        Assert.That(r.Result!["order"]!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { ids[2], ids[0], ids[1] }));
        var shown = await Anon.CallAsync("package_show", new { id = "reorder-ok" });
        Assert.That(shown!["resources"]!.AsArray().Select(x => x!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "c.csv", "a.csv", "b.csv" }));
        Assert.That(shown["resources"]!.AsArray().Select(x => x!["position"]!.GetValue<int>()), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public async Task Bad_orders_are_CKANs_validation_errors_and_outsiders_are_refused()
    {
        var ids = await DatasetAsync("reorder-bad");
        foreach (var (order, message) in new (object, string)[]
        {
            ("not-a-list", "Must be a list of resource"),
            (new[] { ids[0], ids[0] }, "Must supply unique resource_ids"),
            (new[] { "no-such-resource" }, "resource_id no-such-resource can not be found"),
        })
        {
            var r = await _editor.Client.PostAsync("package_resource_reorder", new { id = "reorder-bad", order });
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
            Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
            Assert.That(r.Error["order"]![0]!.GetValue<string>(), Is.EqualTo(message));
        }
        var refused = await _outsider.Client.PostAsync("package_resource_reorder", new { id = "reorder-bad", order = new[] { ids[1] } });
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Forbidden), refused.Body);
        var unchanged = await Admin.CallAsync("package_show", new { id = "reorder-bad" });
        Assert.That(unchanged!["resources"]!.AsArray().Select(x => x!["id"]!.GetValue<string>()), Is.EqualTo(ids));
    }
}
