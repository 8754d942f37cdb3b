using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Catalog.Tests.DataStore;

/// <summary>resource_delete and dataset_purge drop the resource's row table from the row store (SQLite's datastore.db or PostgreSQL's datastore schema), on the real host.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class RowCleanupTests(TestStore store) : CatalogApiTests(store)
{
    private readonly string _org = CatalogFixtures.Unique("rows-cleanup-org");

    protected override async Task ArrangeAsync() => await Fixtures.OrganizationAsync(_org);

    private async Task<bool> CompleteAsync(string id)
    {
        var info = await Admin.PostAsync("datastore_info", new { id });
        return info.Status == HttpStatusCode.OK && info.Result!["meta"]!["ingestion"]?["state"]?.GetValue<string>() == "complete";
    }

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

    /// <summary>
    /// The row tables (a table with its text index counts once), and the resources the store still knows, read
    /// straight from the row store.
    /// </summary>
    private (long Tables, long Known) Stored(string resourceId)
    {
        if (Host.PostgresConnection is { } pg)
        {
            using var conn = new NpgsqlConnection(pg);
            conn.Open();
            using var query = new NpgsqlCommand("""
                SELECT (SELECT COUNT(DISTINCT substr(tablename, 1, 44)) FROM pg_tables WHERE schemaname = 'datastore' AND tablename LIKE @prefix),
                    (SELECT COUNT(*) FROM datastore."_tables" WHERE resource_id = @id) + (SELECT COUNT(*) FROM datastore."_ingestion" WHERE resource_id = @id)
                """, conn);
            query.Parameters.AddWithValue("prefix", $"t_{Guid.Parse(resourceId):N}%");
            query.Parameters.AddWithValue("id", resourceId);
            using var r = query.ExecuteReader();
            r.Read();
            return (r.GetInt64(0), r.GetInt64(1));
        }
        using var c = new SqliteConnection($"Data Source={Path.Combine(Host.DataDir, "datastore.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(DISTINCT substr(name, 1, 44)) FROM sqlite_master WHERE type = 'table' AND name LIKE $prefix";
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
        // Until the load has finished, not only until its table exists: the load's last writes race the purge otherwise.
        for (var i = 0; i < 300 && !await CompleteAsync(second); i++) await Task.Delay(100);
        Assert.That(Stored(second).Item1, Is.EqualTo(1L));

        (await Admin.PostAsync("dataset_purge", new { id = dataset })).Ok();
        Assert.That(Stored(first), Is.EqualTo((0L, 0L)));
        Assert.That(Stored(second), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Dataset_purge_while_loads_run_answers_and_leaves_no_rows()
    {
        var ids = new List<string>();
        for (var round = 0; round < 12; round++)
        {
            var dataset = CatalogFixtures.Unique("rows-purge-race");
            await Fixtures.DatasetAsync(dataset, _org);
            var body = new StringBuilder("名称,値\n");
            for (var i = 0; i < 50 * round; i++) body.Append("津市,").Append(i).Append('\n');
            var created = await Admin.MultipartAsync("resource_create", new Dictionary<string, string>
            {
                ["package_id"] = dataset, ["name"] = "rows.csv", ["format"] = "CSV",
            }, "rows.csv", Encoding.UTF8.GetBytes(body.ToString()));
            ids.Add(created.Ok()!["id"]!.GetValue<string>());
            // Each round purges a little later into the load.
            await Task.Delay(round * 15);
            var purged = await Admin.PostAsync("dataset_purge", new { id = dataset });
            Assert.That(purged.Status, Is.EqualTo(HttpStatusCode.OK), $"round {round}: {purged.Body}");
        }
        foreach (var id in ids)
        {
            for (var i = 0; i < 100 && Stored(id) != (0L, 0L); i++) await Task.Delay(100);
            Assert.That(Stored(id), Is.EqualTo((0L, 0L)), id);
        }
    }
}
