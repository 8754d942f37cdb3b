using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace Catalog.Tests.DataStore;

/// <summary>
/// Two catalog nodes on one PostgreSQL database share the DataStore's rows: an upload on one is loaded once, both
/// answer datastore_search alike, and a load left running by a dead node is taken over once its lease runs out, not
/// before.
/// </summary>
public sealed class SharedRowsTests
{
    private TestPostgresDatabase _database = null!;
    private string _files = null!;
    private CatalogHost _a = null!, _b = null!;

    [OneTimeSetUp]
    public void StartTwoNodes()
    {
        TestPostgresDatabase.Server();
        _database = TestPostgresDatabase.Create();
        _files = CatalogHost.NewDataDir();
        Dictionary<string, string?> Settings() => new()
        {
            ["Catalog:Files:Dir"] = _files,
            ["Catalog:DataStore:CatchUpInterval"] = "00:00:00.200",
            ["Catalog:DataStore:IngestionLease"] = "00:00:03",
        };
        _a = new CatalogHost(settings: Settings(), store: TestStore.Postgres, postgresConnection: _database.ConnectionString);
        _b = new CatalogHost(settings: Settings(), store: TestStore.Postgres, postgresConnection: _database.ConnectionString);
    }

    [OneTimeTearDown]
    public void StopNodes()
    {
        _a?.Dispose();
        _b?.Dispose();
        _database?.Dispose();
        try { Directory.Delete(_files, recursive: true); } catch (IOException) { }
    }

    private async Task<string> UploadOnAAsync(string csv)
    {
        using var admin = _a.Sysadmin();
        var fixtures = new CatalogFixtures(_a);
        var org = CatalogFixtures.Unique("shared-org");
        await fixtures.OrganizationAsync(org);
        var dataset = CatalogFixtures.Unique("shared-rows");
        await fixtures.DatasetAsync(dataset, org);
        var created = await admin.MultipartAsync("resource_create", new Dictionary<string, string>
        {
            ["package_id"] = dataset, ["name"] = "rows.csv", ["format"] = "CSV",
        }, "rows.csv", Encoding.UTF8.GetBytes(csv));
        return created.Ok()!["id"]!.GetValue<string>();
    }

    private static async Task<JsonObject> CompleteAsync(CatalogHost node, string id, long minVersion = 1)
    {
        using var admin = node.Sysadmin();
        for (var i = 0; i < 300; i++)
        {
            var info = await admin.PostAsync("datastore_info", new { id });
            if (info.Status == HttpStatusCode.OK && info.Result!["meta"]!["ingestion"]?["state"]?.GetValue<string>() == "complete"
                && (await RowsAsync(node, id)).Version >= minVersion)
                return info.Result.AsObject();
            await Task.Delay(100);
        }
        throw new TimeoutException("The file was not loaded.");
    }

    /// <summary>The shared bookkeeping: every load of a resource's rows adds one to its version.</summary>
    private static async Task<(long Version, string? State, string? Owner)> RowsAsync(CatalogHost node, string id)
    {
        await using var c = new NpgsqlConnection(node.PostgresConnection);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT (SELECT "version" FROM datastore."_tables" WHERE resource_id = @id),
                   (SELECT "state" FROM datastore."_ingestion" WHERE resource_id = @id),
                   (SELECT "lease_owner" FROM datastore."_ingestion" WHERE resource_id = @id)
            """, c);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.IsDBNull(0) ? 0 : r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));
    }

    private async Task ExecAsync(string sql, string id)
    {
        await using var c = new NpgsqlConnection(_database.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> SearchAsync(CatalogHost node, string id)
    {
        using var client = node.Sysadmin();
        var found = await client.CallAsync("datastore_search", new { resource_id = id, sort = "値 desc" });
        var plain = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return found!["records"]!.ToJsonString(plain) + found["total"]!.ToJsonString();
    }

    [Test]
    public async Task An_upload_on_one_node_is_loaded_once_and_both_nodes_answer_alike()
    {
        var id = await UploadOnAAsync("名称,値\n津市,1\n鈴鹿市,2\n伊勢市,3\n");
        await CompleteAsync(_a, id);
        // Both nodes looked for it every 200 ms meanwhile, and go on looking: the load still ran once.
        await Task.Delay(1000);
        var rows = await RowsAsync(_a, id);
        Assert.That(rows, Is.EqualTo((1L, "complete", (string?)null)));
        var onA = await SearchAsync(_a, id);
        Assert.That(onA, Does.Contain("伊勢市").And.EndWith("3"));
        Assert.That(await SearchAsync(_b, id), Is.EqualTo(onA));
        using var anon = _b.Client();
        var sql = await anon.PostAsync("datastore_info", new { id });
        Assert.That(sql.Result!["meta"]!["count"]!.GetValue<long>(), Is.EqualTo(3));
    }

    [Test]
    public async Task A_dead_node_s_load_is_taken_over_when_its_lease_runs_out_and_not_before()
    {
        var id = await UploadOnAAsync("名称,値\n四日市市,10\n桑名市,20\n");
        await CompleteAsync(_a, id);

        // A node took the load and died: its lease still runs for an hour.
        await ExecAsync("""
            UPDATE datastore."_ingestion" SET "state" = 'running', "lease_owner" = 'dead-node', "lease_until" = now() + interval '1 hour'
            WHERE resource_id = @id
            """, id);
        await Task.Delay(1500);
        Assert.That(await RowsAsync(_a, id), Is.EqualTo((1L, "running", (string?)"dead-node")));

        // Its lease ran out: one of the live nodes loads it again, once.
        await ExecAsync("""UPDATE datastore."_ingestion" SET "lease_until" = now() - interval '1 second' WHERE resource_id = @id""", id);
        await CompleteAsync(_b, id, minVersion: 2);
        await Task.Delay(1000);
        Assert.That(await RowsAsync(_a, id), Is.EqualTo((2L, "complete", (string?)null)));
        Assert.That(await SearchAsync(_a, id), Is.EqualTo(await SearchAsync(_b, id)).And.Contain("桑名市"));
    }
}
