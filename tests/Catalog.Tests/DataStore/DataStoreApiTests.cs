using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Catalog.Tests.DataStore;

/// <summary>
/// Uploads through resource_create are loaded into rows in the background and answered by the DataStore actions
/// and the dump, on the real host.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class DataStoreApiTests(TestStore store) : CatalogApiTests(store)
{
    private readonly string _org = CatalogFixtures.Unique("ds-org");
    private string _resourceId = null!;
    private string _privateResourceId = null!;

    static DataStoreApiTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    protected override CatalogHost CreateHost() => new(store: Store, settings: new()
    {
        ["Catalog:DataStore:SqlSearch"] = "true",
        ["Catalog:DataStore:QueryTimeLimit"] = "00:00:01",
    });

    /// <summary>A department's table as published: a title row, a blank row, the header, data, footnotes.</summary>
    private const string Shelters = """
        令和5年度 避難所一覧,,,,
        ,,,,
        名称,収容人数,開設日,面積,備考
        津市指定避難所 一身田小学校,"1,200",令和5年4月1日,１２３．５,体育館
        鈴鹿市避難所 白子公民館,３５０,2023/05/01,88,
        伊勢市 防災倉庫,▲12,平成31年4月30日,0.5,"カンマ,を含む"
        ＊単位：人,,,,
        ＊出典：防災対策部,,,,
        """;

    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync(_org);
        await Fixtures.DatasetAsync(CatalogFixtures.Unique("ds-public"), _org);
        var publicName = CatalogFixtures.Unique("ds-shelters");
        await Fixtures.DatasetAsync(publicName, _org);
        _resourceId = await UploadAsync(publicName, "shelters.csv", Encoding.GetEncoding(932).GetBytes(Shelters));
        var privateName = CatalogFixtures.Unique("ds-private");
        await Fixtures.DatasetAsync(privateName, _org, isPrivate: true);
        _privateResourceId = await UploadAsync(privateName, "private.csv", Encoding.UTF8.GetBytes("名称,値\n秘密ZQXROW,1\n"));
        await LoadedAsync(_resourceId);
        await LoadedAsync(_privateResourceId);
    }

    private async Task<string> UploadAsync(string dataset, string fileName, byte[] body)
    {
        var created = await Admin.MultipartAsync("resource_create", new Dictionary<string, string>
        {
            ["package_id"] = dataset, ["name"] = fileName, ["format"] = "CSV",
        }, fileName, body);
        return created.Ok()!["id"]!.GetValue<string>();
    }

    private async Task<JsonObject> LoadedAsync(string resourceId, string? notSource = null)
    {
        for (var i = 0; i < 300; i++)
        {
            var info = await Admin.PostAsync("datastore_info", new { id = resourceId });
            if (info.Status == HttpStatusCode.OK && info.Result!["meta"]!["ingestion"]?["state"]?.GetValue<string>() is "complete" or "error"
                && (notSource is null || info.Result["meta"]!["count"]!.ToJsonString() != notSource))
                return info.Result.AsObject();
            await Task.Delay(100);
        }
        throw new TimeoutException("The file was not loaded.");
    }

    private async Task<JsonObject> SearchAsync(object data) => (await Admin.CallAsync("datastore_search", data))!.AsObject();

    [Test]
    public async Task A_Shift_JIS_table_is_loaded_with_its_header_found_and_footnotes_set_aside()
    {
        var info = await LoadedAsync(_resourceId);
        Assert.That(info["meta"]!["ingestion"]!["state"]!.GetValue<string>(), Is.EqualTo("complete"));
        var fields = info["fields"]!.AsArray().Select(f => (f!["id"]!.GetValue<string>(), f["type"]!.GetValue<string>())).ToList();
        Assert.That(fields, Is.EqualTo(new[]
        {
            ("名称", "text"), ("収容人数", "int"), ("開設日", "date"), ("面積", "numeric"), ("備考", "text"),
        }));
        var all = await SearchAsync(new { resource_id = _resourceId });
        Assert.That(all["total"]!.GetValue<long>(), Is.EqualTo(3));
        var first = all["records"]![0]!;
        Assert.That(first["_id"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(first["収容人数"]!.GetValue<long>(), Is.EqualTo(1200));
        Assert.That(first["開設日"]!.GetValue<string>(), Is.EqualTo("2023-04-01"));
        Assert.That(first["面積"]!.GetValue<double>(), Is.EqualTo(123.5));
        var third = all["records"]![2]!;
        Assert.That(third["収容人数"]!.GetValue<long>(), Is.EqualTo(-12));
        Assert.That(third["開設日"]!.GetValue<string>(), Is.EqualTo("2019-04-30"));
        Assert.That(third["備考"]!.GetValue<string>(), Is.EqualTo("カンマ,を含む"));
        Assert.That(all.ToJsonString(), Does.Not.Contain("単位").And.Not.Contain("出典"));

        var shown = await Admin.CallAsync("resource_show", new { id = _resourceId });
        Assert.That(shown!["datastore_active"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Q_answers_right_after_a_load_and_the_text_index_built_after_it_answers_alike()
    {
        var name = CatalogFixtures.Unique("ds-many");
        await Fixtures.DatasetAsync(name, _org);
        var csv = new StringBuilder("名称,地区,人数\n");
        for (var i = 0; i < 3000; i++) csv.Append(CultureInfo.InvariantCulture, $"避難所{i},第{i % 7}地区,{i}\n");
        var id = await UploadAsync(name, "many.csv", Encoding.UTF8.GetBytes(csv.ToString()));
        var info = await LoadedAsync(id);
        Assert.That(info["meta"]!["datastore_active"]!.GetValue<bool>(), Is.True);
        var early = await SearchAsync(new { resource_id = id, q = "避難所2345" });
        Assert.That(early["total"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(early["records"]![0]!["人数"]!.GetValue<long>(), Is.EqualTo(2345));
        for (var i = 0; i < 300 && !info["meta"]!["text_index"]!.GetValue<bool>(); i++)
        {
            await Task.Delay(100);
            info = (await Admin.CallAsync("datastore_info", new { id }))!.AsObject();
        }
        Assert.That(info["meta"]!["text_index"]!.GetValue<bool>(), Is.True, "built in the background, without a q asking");
        var late = await SearchAsync(new { resource_id = id, q = "避難所2345" });
        Assert.That(late["records"]!.ToJsonString(), Is.EqualTo(early["records"]!.ToJsonString()));
        Assert.That((await SearchAsync(new { resource_id = id, q = "第3地区", limit = 0 }))["total"]!.GetValue<long>(), Is.EqualTo(3000 / 7 + 1));
    }

    [Test]
    public async Task The_answer_has_CKAN_s_shape()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory,
            "DataStore", "ckan.pf-sapporo.jp_datastore_search.json")))!["result"]!.AsObject();
        var ours = await SearchAsync(new { resource_id = _resourceId });
        Assert.That(ours.Select(kv => kv.Key).Order(), Is.EqualTo(sample.Select(kv => kv.Key).Order()));
        Assert.That(ours["fields"]![0]!.ToJsonString(), Is.EqualTo("""{"id":"_id","type":"int"}"""));
        Assert.That(ours["_links"]!["start"]!.GetValue<string>(), Is.EqualTo($"/api/3/action/datastore_search?resource_id={_resourceId}"));
        Assert.That(ours["_links"]!["next"]!.GetValue<string>(), Is.EqualTo($"/api/3/action/datastore_search?resource_id={_resourceId}&offset=100"));
        Assert.That(ours["limit"]!.GetValue<int>(), Is.EqualTo(100));
    }

    [Test]
    public async Task Q_folds_width_case_and_kana_on_either_store()
    {
        // The cell holds カンマ (full-width katakana): hiragana and half-width forms find it, as in package_search.
        foreach (var q in new[] { "かんま", "ｶﾝﾏ", "カンマ" })
        {
            var found = await SearchAsync(new { resource_id = _resourceId, q });
            Assert.That(found["total"]!.GetValue<long>(), Is.EqualTo(1), q);
            var perField = await SearchAsync(new { resource_id = _resourceId, q = new Dictionary<string, string> { ["備考"] = q } });
            Assert.That(perField["total"]!.GetValue<long>(), Is.EqualTo(1), q);
        }
        var none = await SearchAsync(new { resource_id = _resourceId, q = new Dictionary<string, string> { ["名称"] = "かんま" } });
        Assert.That(none["total"]!.GetValue<long>(), Is.EqualTo(0));
    }

    [Test]
    public async Task Q_finds_part_of_a_word_and_filters_sort_fields_and_formats_apply()
    {
        var found = await SearchAsync(new { resource_id = _resourceId, q = "避難" });
        Assert.That(found["total"]!.GetValue<long>(), Is.EqualTo(2));
        var perField = await SearchAsync(new { resource_id = _resourceId, q = new Dictionary<string, string> { ["名称"] = "白子" } });
        Assert.That(perField["total"]!.GetValue<long>(), Is.EqualTo(1));

        var filtered = await SearchAsync(new { resource_id = _resourceId, filters = new Dictionary<string, object> { ["収容人数"] = new[] { "350", "1200" } }, sort = "収容人数 desc", fields = "名称,収容人数" });
        Assert.That(filtered["records"]!.AsArray().Select(r => r!["収容人数"]!.GetValue<long>()), Is.EqualTo(new[] { 1200L, 350L }));
        Assert.That(filtered["fields"]!.AsArray(), Has.Count.EqualTo(2));

        var lists = await SearchAsync(new { resource_id = _resourceId, records_format = "lists", fields = new[] { "_id", "面積" }, limit = 1 });
        Assert.That(lists["records"]!.ToJsonString(), Is.EqualTo("[[1,123.5]]"));
        var csv = await SearchAsync(new { resource_id = _resourceId, records_format = "csv", fields = "備考", filters = new { _id = 3 } });
        Assert.That(csv["records"]!.GetValue<string>(), Is.EqualTo("\"カンマ,を含む\"\r\n"));
        var distinct = await SearchAsync(new { resource_id = _resourceId, fields = "備考", distinct = true });
        Assert.That(distinct["total"]!.GetValue<long>(), Is.EqualTo(3));
        var huge = await SearchAsync(new { resource_id = _resourceId, limit = 10000000 });
        Assert.That(huge["limit"]!.GetValue<int>(), Is.EqualTo(32000));
    }

    [TestCase("filters", """{"no_such_column":"1"}""")]
    [TestCase("filters", """{"収容人数":"many"}""")]
    [TestCase("sort", "no_such_column")]
    [TestCase("fields", "_id,nope")]
    [TestCase("q", """{"nope":"x"}""")]
    [TestCase("records_format", "xml")]
    [TestCase("limit", "-1")]
    public async Task Bad_input_is_a_validation_error(string key, string value)
    {
        var response = await Admin.GetAsync("datastore_search", $"resource_id={_resourceId}&{key}={Uri.EscapeDataString(value)}");
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Conflict), response.Body);
    }

    [Test]
    public async Task SQL_text_in_every_parameter_is_never_a_failure_and_never_runs()
    {
        var attacks = new[]
        {
            "'; DROP TABLE \"_tables\"; --", "\" OR 1=1 --", "名称\" FROM sqlite_master --", "%' OR '1'='1", "_id; DELETE FROM x",
            new string('(', 10_000),
        };
        foreach (var attack in attacks)
        foreach (var key in new[] { "resource_id", "q", "filters", "fields", "sort", "limit", "offset", "records_format", "distinct" })
        {
            var response = await Anon.GetAsync("datastore_search", $"resource_id={_resourceId}&{key}={Uri.EscapeDataString(attack)}");
            Assert.That((int)response.Status, Is.LessThan(500), $"{key}={attack}: {response.Body}");
            var asObject = await Anon.PostAsync("datastore_search", new Dictionary<string, object>
            {
                ["resource_id"] = _resourceId, ["filters"] = new Dictionary<string, string> { ["名称"] = attack, },
                ["q"] = new Dictionary<string, string> { ["備考"] = attack },
            });
            // Text that long is refused as too long; any other is searched for, as text.
            Assert.That(asObject.Status, Is.EqualTo(attack.Length > 1000 ? HttpStatusCode.Conflict : HttpStatusCode.OK), asObject.Body);
        }
        var all = await SearchAsync(new { resource_id = _resourceId });
        Assert.That(all["total"]!.GetValue<long>(), Is.EqualTo(3));
    }

    [Test]
    public async Task Rows_of_a_private_dataset_are_refused_to_those_who_may_not_read_it()
    {
        var refused = await Anon.PostAsync("datastore_search", new { resource_id = _privateResourceId, q = "ZQX" });
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(refused.Body, Does.Not.Contain("秘密"));
        var info = await Anon.PostAsync("datastore_info", new { id = _privateResourceId });
        Assert.That(info.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var dump = await Anon.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/datastore/dump/{_privateResourceId}"));
        Assert.That(dump.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(dump.Body, Does.Not.Contain("秘密"));
        var forAdmin = await SearchAsync(new { resource_id = _privateResourceId, q = "ZQX" });
        Assert.That(forAdmin["total"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task The_dump_streams_every_row_as_CSV_TSV_or_JSON()
    {
        var csv = await Anon.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/datastore/dump/{_resourceId}?bom=true"));
        Assert.That(csv.Status, Is.EqualTo(HttpStatusCode.OK));
        var lines = csv.Body.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("_id,名称,収容人数,開設日,面積,備考"));
        Assert.That(lines, Has.Length.EqualTo(4));
        var json = await Anon.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/datastore/dump/{_resourceId}?format=json"));
        var parsed = JsonNode.Parse(json.Body)!;
        Assert.That(parsed["records"]!.AsArray(), Has.Count.EqualTo(3));
        var tsv = await Anon.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/datastore/dump/{_resourceId}?format=tsv"));
        Assert.That(tsv.Body, Does.StartWith("_id\t名称"));
    }

    [Test]
    public async Task A_re_upload_replaces_the_rows_and_a_bad_file_is_reported()
    {
        var dataset = CatalogFixtures.Unique("ds-replace");
        await Fixtures.DatasetAsync(dataset, _org);
        var id = await UploadAsync(dataset, "a.csv", Encoding.UTF8.GetBytes("\uFEFFk,v\na,1\nb,2\n"));
        var first = await LoadedAsync(id);
        Assert.That(first["meta"]!["count"]!.GetValue<long>(), Is.EqualTo(2));

        var update = await Admin.MultipartAsync("resource_update", new Dictionary<string, string> { ["id"] = id, ["format"] = "CSV" },
            "b.csv", Encoding.UTF8.GetBytes("k,v,w\nx,1,true\ny,2,false\nz,3,true\n"));
        update.Ok();
        var second = await LoadedAsync(id, notSource: "2");
        Assert.That(second["meta"]!["count"]!.GetValue<long>(), Is.EqualTo(3));
        Assert.That(second["fields"]!.AsArray().Select(f => f!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "text", "int", "bool" }));

        var broken = CatalogFixtures.Unique("ds-broken");
        await Fixtures.DatasetAsync(broken, _org);
        var badId = await UploadAsync(broken, "empty.csv", Encoding.UTF8.GetBytes(",,,\n,,,\n"));
        var bad = await LoadedAsync(badId);
        Assert.That(bad["meta"]!["ingestion"]!["state"]!.GetValue<string>(), Is.EqualTo("error"));
        Assert.That(bad["meta"]!["ingestion"]!["error"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task Datastore_create_upsert_and_delete_change_the_rows()
    {
        var dataset = CatalogFixtures.Unique("ds-create");
        await Fixtures.DatasetAsync(dataset, _org);
        var resource = (await Admin.CallAsync("resource_create", new { package_id = dataset, url = "https://example.org/x.csv" }))!;
        var id = resource["id"]!.GetValue<string>();
        await Admin.CallAsync("datastore_create", new
        {
            resource_id = id,
            fields = new object[] { new { id = "市町村", type = "text" }, new { id = "人口", type = "int" } },
            records = new object[] { new Dictionary<string, object> { ["市町村"] = "津市", ["人口"] = 270000 } },
        });
        await Admin.CallAsync("datastore_upsert", new
        {
            resource_id = id, method = "insert",
            records = new object[] { new Dictionary<string, object> { ["市町村"] = "四日市市", ["人口"] = "３１０，０００" } },
        });
        var rows = await SearchAsync(new { resource_id = id, sort = "人口 desc" });
        Assert.That(rows["records"]![0]!["人口"]!.GetValue<long>(), Is.EqualTo(310000));
        var bad = await Admin.PostAsync("datastore_upsert", new { resource_id = id, method = "insert", records = new object[] { new Dictionary<string, object> { ["人口"] = "多い" } } });
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.Conflict));
        var anonymous = await Anon.PostAsync("datastore_create", new { resource_id = id, fields = new object[] { new { id = "x" } } });
        Assert.That(anonymous.Status, Is.EqualTo(HttpStatusCode.Forbidden));

        await Admin.CallAsync("datastore_delete", new { resource_id = id, filters = new Dictionary<string, object> { ["市町村"] = "津市" } });
        Assert.That((await SearchAsync(new { resource_id = id }))["total"]!.GetValue<long>(), Is.EqualTo(1));
        await Admin.CallAsync("datastore_delete", new { resource_id = id });
        Assert.That((await Admin.PostAsync("datastore_search", new { resource_id = id })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Admin.CallAsync("resource_show", new { id }))!["datastore_active"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task Search_sql_runs_one_select_over_readable_tables_by_their_field_names()
    {
        var found = await Admin.CallAsync("datastore_search_sql", new
        {
            sql = $"SELECT \"名称\", \"収容人数\" * 2 AS double FROM \"{_resourceId}\" WHERE \"収容人数\" > 100 ORDER BY \"_id\"",
        });
        Assert.That(found!["records"]!.AsArray().Select(r => r!["double"]!.GetValue<long>()), Is.EqualTo(new[] { 2400L, 700L }));
        Assert.That(found["fields"]![0]!["id"]!.GetValue<string>(), Is.EqualTo("名称"));
        Assert.That(found["fields"]![0]!["type"]!.GetValue<string>(), Is.EqualTo("text"));

        var many = await Admin.CallAsync("datastore_search_sql", new
        {
            sql = $"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 40000) SELECT x FROM n WHERE x > (SELECT COUNT(*) FROM \"{_resourceId}\")",
        });
        Assert.That(many!["records_truncated"]!.GetValue<bool>(), Is.True);
        Assert.That(many["records"]!.AsArray(), Has.Count.EqualTo(32000));
    }

    [TestCase("DELETE FROM \"{0}\"")]
    [TestCase("SELECT 1 FROM \"{0}\"; DROP TABLE \"_tables\"")]
    [TestCase("WITH x AS (SELECT 1) DELETE FROM \"{0}\"")]
    [TestCase("SELECT * FROM \"_tables\", \"{0}\"")]
    [TestCase("SELECT * FROM \"_ingestion\" WHERE EXISTS (SELECT 1 FROM \"{0}\")")]
    [TestCase("SELECT name FROM sqlite_master, \"{0}\"")]
    [TestCase("SELECT * FROM \"{0}\" UNION SELECT * FROM sqlite_temp_master")]
    [TestCase("ATTACH DATABASE 'x.db' AS x")]
    [TestCase("PRAGMA table_info(\"{0}\")")]
    [TestCase("SELECT load_extension('x') FROM \"{0}\"")]
    [TestCase("SELECT length(zeroblob(100000000)) FROM \"{0}\"")]
    [TestCase("SELECT * FROM \"{0}\" WHERE")]
    [TestCase("SELECT * FROM nothing")]
    [TestCase("SELECT * FROM \"user\", \"{0}\"")]
    [TestCase("SELECT * FROM public.\"user\", \"{0}\"")]
    [TestCase("SELECT * FROM datastore.\"_tables\", \"{0}\"")]
    [TestCase("SELECT * FROM pg_catalog.pg_authid, \"{0}\"")]
    [TestCase("SELECT * FROM pg_class, \"{0}\"")]
    [TestCase("SELECT * FROM information_schema.tables, \"{0}\"")]
    [TestCase("SELECT pg_sleep(30) FROM \"{0}\"")]
    [TestCase("SELECT pg_read_file('/etc/passwd') FROM \"{0}\"")]
    [TestCase("SELECT \"PG_READ_FILE\"('/etc/passwd') FROM \"{0}\"")]
    [TestCase("SELECT query_to_xml('SELECT * FROM public.\"user\"', true, true, '') FROM \"{0}\"")]
    [TestCase("SELECT SET_CONFIG('statement_timeout', '0', true) FROM \"{0}\"")]
    [TestCase("SELECT * FROM dblink('dbname=postgres', 'SELECT 1') AS t(a int), \"{0}\"")]
    [TestCase("SELECT lo_import('/etc/passwd') FROM \"{0}\"")]
    [TestCase("SELECT $$x$$ FROM \"{0}\"")]
    [TestCase("SELECT E'\\x41' FROM \"{0}\"")]
    [TestCase("SELECT 1 FROM \"{0}\") AS q, (SELECT * FROM \"user\"")]
    [TestCase("SELECT * FROM \"{0}\" FOR UPDATE")]
    public async Task Search_sql_refuses_anything_but_reading_rows(string template)
    {
        var response = await Admin.PostAsync("datastore_search_sql", new { sql = string.Format(template, _resourceId) });
        Assert.That((int)response.Status, Is.InRange(400, 499), response.Body);
        Assert.That(response.Body, Does.Not.Contain("t_"));
        var still = await SearchAsync(new { resource_id = _resourceId });
        Assert.That(still["total"]!.GetValue<long>(), Is.EqualTo(3));
    }

    [Test]
    public async Task Search_sql_is_time_limited_and_keeps_private_tables_private()
    {
        var endless = await Admin.PostAsync("datastore_search_sql", new
        {
            sql = $"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n, \"{_resourceId}\"",
        });
        Assert.That(endless.Status, Is.EqualTo(HttpStatusCode.Conflict), endless.Body);
        var refused = await Anon.PostAsync("datastore_search_sql", new { sql = $"SELECT * FROM \"{_resourceId}\", \"{_privateResourceId}\"" });
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(refused.Body, Does.Not.Contain("秘密"));
    }
}
