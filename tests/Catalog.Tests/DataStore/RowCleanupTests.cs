using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Catalog.Tests.DataStore;

/// <summary>resource_delete and dataset_purge drop the resource's row table from datastore.db, on the real host.</summary>
public sealed class RowCleanupTests : CatalogApiTests
{
    private readonly string _org = CatalogFixtures.Unique("rows-cleanup-org");

    protected override async Task ArrangeAsync() => await Fixtures.OrganizationAsync(_org);

    private async Task<(string Dataset, string Resource)> LoadedUploadAsync()
    {
        var dataset = CatalogFixtures.Unique("rows-cleanup");
        await Fixtures.DatasetAsync(dataset, _org);
        var created = await Admin.MultipartAsync("resource_create", new Dictionary<string, string>
        {
            ["package_id"] = dataset, ["name"] = "rows.csv", ["format"] = "CSV",
        }, "rows.csv", Encoding.UTF8.GetBytes("名称,値\n津市,1\n鈴鹿市,2\n"));
        var id = created.Ok()!["id"]!.GetValue<string>();
        for (var i = 0; i < 300; i++)
        {
            var info = await Admin.PostAsync("datastore_info", new { id });
            if (info.Status == HttpStatusCode.OK && info.Result!["meta"]!["ingestion"]?["state"]?.GetValue<string>() == "complete") return (dataset, id);
            await Task.Delay(100);
        }
        throw new TimeoutException("The file was not loaded.");
    }

    /// <summary>The row tables in the file, and the resources the store still knows, read straight from datastore.db.</summary>
    private (long Tables, long Known) Stored(string resourceId)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(Host.DataDir, "datastore.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name LIKE $prefix";
        cmd.Parameters.AddWithValue("$prefix", $"t_{Guid.Parse(resourceId):N}%");
        var tables = (long)cmd.ExecuteScalar()!;
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM _tables WHERE resource_id = $id) + (SELECT COUNT(*) FROM _ingestion WHERE resource_id = $id)";
        cmd.Parameters.AddWithValue("$id", resourceId);
        return (tables, (long)cmd.ExecuteScalar()!);
    }

    [Test]
    public async Task Resource_delete_drops_the_rows()
    {
        var (_, id) = await LoadedUploadAsync();
        Assert.That(Stored(id), Is.EqualTo((1L, 2L)));
        (await Admin.PostAsync("resource_delete", new { id })).Ok();
        Assert.That(Stored(id), Is.EqualTo((0L, 0L)));
        var info = await Admin.PostAsync("datastore_search", new { resource_id = id });
        Assert.That(info.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Dataset_purge_drops_the_rows_of_every_resource()
    {
        var (dataset, first) = await LoadedUploadAsync();
        var created = await Admin.MultipartAsync("resource_create", new Dictionary<string, string>
        {
            ["package_id"] = dataset, ["name"] = "more.csv", ["format"] = "CSV",
        }, "more.csv", Encoding.UTF8.GetBytes("名称,値\n伊勢市,3\n"));
        var second = created.Ok()!["id"]!.GetValue<string>();
        for (var i = 0; i < 300 && Stored(second).Item1 == 0; i++) await Task.Delay(100);
        Assert.That(Stored(second).Item1, Is.EqualTo(1L));

        (await Admin.PostAsync("dataset_purge", new { id = dataset })).Ok();
        Assert.That(Stored(first), Is.EqualTo((0L, 0L)));
        Assert.That(Stored(second), Is.EqualTo((0L, 0L)));
    }
}
