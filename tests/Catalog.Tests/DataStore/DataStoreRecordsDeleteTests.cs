using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.DataStore;

/// <summary>datastore_records_delete (rows go, the table stays) and the trigger actions this DataStore refuses.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class DataStoreRecordsDeleteTests(TestStore store) : CatalogApiTests(store)
{
    private readonly string _org = CatalogFixtures.Unique("dsr-org");

    protected override async Task ArrangeAsync() => await Fixtures.OrganizationAsync(_org);

    private async Task<string> TableAsync()
    {
        var dataset = CatalogFixtures.Unique("dsr-ds");
        await Fixtures.DatasetAsync(dataset, _org);
        var id = (await Admin.CallAsync("resource_create", new { package_id = dataset, url = "https://example.org/x.csv" }))!["id"]!.GetValue<string>();
        await Admin.CallAsync("datastore_create", new
        {
            resource_id = id,
            fields = new object[] { new { id = "市町村", type = "text" }, new { id = "人口", type = "int" } },
            records = new object[]
            {
                new Dictionary<string, object> { ["市町村"] = "津市", ["人口"] = 270000 },
                new Dictionary<string, object> { ["市町村"] = "鈴鹿市", ["人口"] = 195000 },
            },
        });
        return id;
    }

    private async Task<long> TotalAsync(string id) =>
        (await Admin.CallAsync("datastore_search", new { resource_id = id }))!["total"]!.GetValue<long>();

    [Test]
    public async Task Filters_delete_matching_rows_and_an_empty_filter_empties_the_table_but_keeps_it()
    {
        var id = await TableAsync();
        var result = await Admin.CallAsync("datastore_records_delete", new { resource_id = id, filters = new Dictionary<string, object> { ["市町村"] = "津市" } });
        Assert.That(result!["filters"]!["市町村"]!.GetValue<string>(), Is.EqualTo("津市"));
        Assert.That(result["resource_id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(await TotalAsync(id), Is.EqualTo(1));

        await Admin.CallAsync("datastore_records_delete", new { resource_id = id, filters = new { } });
        Assert.That(await TotalAsync(id), Is.EqualTo(0));
        var info = await Admin.CallAsync("datastore_info", new { id });
        Assert.That(info!["fields"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "市町村", "人口" }));
        Assert.That((await Admin.CallAsync("resource_show", new { id }))!["datastore_active"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Filters_are_required_and_checked()
    {
        var id = await TableAsync();
        var missing = await Admin.PostAsync("datastore_records_delete", new { resource_id = id });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(missing.Error["filters"]![0]!.GetValue<string>(), Is.EqualTo("Missing value"));
        var notDict = await Admin.PostAsync("datastore_records_delete", new { resource_id = id, filters = "市町村" });
        Assert.That(notDict.Status, Is.EqualTo(HttpStatusCode.Conflict));
        var unknownField = await Admin.PostAsync("datastore_records_delete", new { resource_id = id, filters = new { nope = 1 } });
        Assert.That(unknownField.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await TotalAsync(id), Is.EqualTo(2));
        var anonymous = await Anon.PostAsync("datastore_records_delete", new { resource_id = id, filters = new { } });
        Assert.That(anonymous.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var unknown = await Admin.PostAsync("datastore_records_delete", new { resource_id = Guid.NewGuid().ToString(), filters = new { } });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("datastore_function_create")]
    [TestCase("datastore_function_delete")]
    [TestCase("datastore_run_triggers")]
    public async Task Trigger_actions_say_triggers_are_not_supported(string action)
    {
        var r = await Admin.PostAsync(action, new { name = "f", definition = "BEGIN RETURN NEW; END;" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(r.Error["message"]!.GetValue<string>(), Does.Contain("not supported here").And.Contain("triggers"));
        var user = await Fixtures.UserAsync(CatalogFixtures.Unique("dsr-user"));
        Assert.That((await user.Client.PostAsync(action, new { name = "f" })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
