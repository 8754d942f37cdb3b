using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.Validation;

namespace Catalog.Tests.Validation;

/// <summary>
/// The metadata schema (schemas/dataset.schema.json) through the real API: BODIK-shaped datasets pass, a value that
/// is set but wrong is a 409 naming the field, and nothing beyond CKAN's own required fields is required.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class MetadataSchemaTests(TestStore store) : CatalogApiTests(store)
{
    private const string Org = "schema-org";
    private const string AnnualUri = "http://publications.europa.eu/resource/authority/frequency/ANNUAL";

    protected override async Task ArrangeAsync() => await Fixtures.OrganizationAsync(Org);

    private static object[] Extras(params (string Key, string Value)[] pairs) =>
        pairs.Select(p => (object)new { key = p.Key, value = p.Value }).ToArray();

    private Task<ApiResponse> CreateAsync(object extras, object? resources = null) => Admin.PostAsync("package_create", new
    {
        name = CatalogFixtures.Unique("meta"), owner_org = Org, extras, resources = resources ?? Array.Empty<object>(),
    });

    private static List<string> Messages(JsonObject error, string key) =>
        error[key]!.AsArray().Select(m => m!.GetValue<string>()).ToList();

    [Test]
    public async Task A_bodik_shaped_dataset_passes_and_keeps_its_values_as_given()
    {
        var name = CatalogFixtures.Unique("240001_bodik");
        var created = (await Admin.CallAsync("package_create", new
        {
            name, title = "指定緊急避難場所一覧", owner_org = Org, license_id = "cc-by-40-intl",
            url = "https://www.pref.mie.lg.jp/BOUSAI/HP/m0000000001.htm", author = "防災対策部", maintainer = "総務部 情報政策課",
            extras = Extras(("frequency", "年1回"), ("spatial", "三重県"), ("copyright", "©三重県"), ("language", "Japanese"),
                ("lg_code", "240001"), ("temporal_start", "2024-04"), ("temporal_end", "2025-03-31"), ("issued", "2020-04-01"),
                ("access_rights", "PUBLIC"), ("conforms_to", "https://www.digital.go.jp/resources/open_data/municipal-standard-data-set-test")),
            resources = new object[]
            {
                new { name = "一覧", url = "https://example.lg.jp/a.csv", format = "CSV", encoding = "shift_jis" },
                new { name = "一覧（UTF-8）", url = "https://example.lg.jp/b.csv", format = "CSV", encoding = "utf-8_sig" },
            },
        }))!;
        var extras = created["extras"]!.AsArray().ToDictionary(e => e!["key"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(extras["frequency"], Is.EqualTo("年1回"), "stored as given; readers map it with the schema");
            Assert.That(extras["lg_code"], Is.EqualTo("240001"));
            Assert.That(created["resources"]!.AsArray().Select(r => r!["encoding"]!.GetValue<string>()), Is.EqualTo(new[] { "shift_jis", "utf-8_sig" }));
        });
        var frequency = MetadataSchema.Default.DatasetField("frequency")!;
        Assert.That(frequency.Choice(extras["frequency"])!.Code, Is.EqualTo(AnnualUri));
    }

    [Test]
    public async Task Only_what_ckan_requires_is_required()
    {
        var r = await Admin.PostAsync("package_create", new { name = CatalogFixtures.Unique("bare"), owner_org = Org });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.OK), r.Body);
        var missing = await Admin.PostAsync("package_create", new { owner_org = Org });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(missing.Error.Select(kv => kv.Key).Where(k => k != "__type"), Is.EqualTo(new[] { "name" }));
    }

    [Test]
    public async Task An_unknown_frequency_is_a_409_naming_the_field()
    {
        var r = await CreateAsync(Extras(("frequency", "1日3回"), ("spatial", "三重県")));
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(r.Error.Select(kv => kv.Key), Is.EquivalentTo(new[] { "__type", "frequency" }));
        Assert.That(Messages(r.Error, "frequency").Single(), Does.StartWith("Value \"1日3回\" must be one of ").And.Contain("ANNUAL").And.Contain("AS_NEEDED"));
    }

    [TestCase("ANNUAL")]
    [TestCase(AnnualUri)]
    [TestCase("毎年")]
    [TestCase("annual")]
    [TestCase("年1回")]
    [TestCase("年１回")]
    [TestCase(" 1年 ")]
    public void Frequency_takes_the_code_its_uri_its_labels_and_aliases(string given) =>
        Assert.That(MetadataSchema.Default.DatasetField("frequency")!.Choice(given)?.Code, Is.EqualTo(AnnualUri));

    [Test]
    public void Bodik_frequencies_of_the_seed_and_fixtures_map_to_the_vocabulary()
    {
        var frequency = MetadataSchema.Default.DatasetField("frequency")!;
        var expected = new Dictionary<string, string>
        {
            ["随時"] = "AS_NEEDED", ["不定期"] = "IRREG", ["更新終了"] = "NEVER", ["毎月"] = "MONTHLY", ["月1回"] = "MONTHLY",
            ["四半期"] = "QUARTERLY", ["年2回"] = "ANNUAL_2", ["年1回"] = "ANNUAL", ["毎日"] = "DAILY", ["毎週"] = "WEEKLY",
            ["更新なし"] = "NEVER", ["5年ごと"] = "QUINQUENNIAL",
        };
        foreach (var (given, code) in expected)
            Assert.That(frequency.Choice(given)?.ShortCode, Is.EqualTo(code), given);
    }

    [TestCase("240002", TestName = "Local government code with a wrong check digit")]
    [TestCase("24000", TestName = "Local government code of five digits")]
    [TestCase("24000a", TestName = "Local government code with a letter")]
    [TestCase("2400011", TestName = "Local government code of seven digits")]
    [TestCase("２４０００１", TestName = "Local government code in full-width digits")]
    public async Task A_malformed_local_government_code_is_a_409(string code)
    {
        var r = await CreateAsync(Extras(("lg_code", code)));
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(Messages(r.Error, "lg_code"), Is.EqualTo(new[] { MetadataSchema.Default.DatasetField("lg_code")!.ErrorMessage }));
    }

    [Test]
    public async Task A_wrong_date_is_a_409_and_partial_dates_are_fine()
    {
        var ok = await CreateAsync(Extras(("temporal_start", "2024"), ("temporal_end", "2025-03"), ("modified", "2025-03-31T09:00:00+09:00")));
        Assert.That(ok.Status, Is.EqualTo(HttpStatusCode.OK), ok.Body);
        var r = await CreateAsync(Extras(("temporal_start", "2024-13-01"), ("issued", "令和6年4月1日")));
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(Messages(r.Error, "temporal_start"), Is.EqualTo(new[] { "Date format incorrect" }));
        Assert.That(Messages(r.Error, "issued"), Is.EqualTo(new[] { "Date format incorrect" }));
    }

    [Test]
    public async Task Language_takes_several_choices_and_refuses_an_unknown_one()
    {
        var ok = await CreateAsync(Extras(("language", "[\"ja\", \"http://publications.europa.eu/resource/authority/language/ENG\"]")));
        Assert.That(ok.Status, Is.EqualTo(HttpStatusCode.OK), ok.Body);
        var listed = await CreateAsync(Extras(("language", "Japanese, English")));
        Assert.That(listed.Status, Is.EqualTo(HttpStatusCode.OK), listed.Body);
        Assert.That(MetadataSchema.Default.DatasetField("language")!.Choose("Chinese (Simplified, China)")!.Single().ShortCode, Is.EqualTo("ZHO"),
            "a CKAN locale name with a comma in it is one language");
        var r = await CreateAsync(Extras(("language", "Japanese, Klingon")));
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(Messages(r.Error, "language").Single(), Does.StartWith("Value \"Klingon\""));
    }

    [Test]
    public async Task Unset_or_empty_recommended_fields_and_any_licence_id_are_accepted()
    {
        var r = await Admin.PostAsync("package_create", new
        {
            name = CatalogFixtures.Unique("lenient"), owner_org = Org, license_id = "my-own-licence",
            extras = Extras(("frequency", ""), ("lg_code", " "), ("unrelated", "anything")),
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.OK), r.Body);
        Assert.That(r.Result!["license_id"]!.GetValue<string>(), Is.EqualTo("my-own-licence"), "CKAN keeps any licence id");
    }

    [Test]
    public async Task A_wrong_resource_encoding_is_refused_wherever_resources_are_written()
    {
        var nested = await CreateAsync(Extras(), new object[] { new { url = "https://e.lg.jp/a.csv" }, new { url = "https://e.lg.jp/b.csv", encoding = "latin1" } });
        Assert.That(nested.Status, Is.EqualTo(HttpStatusCode.Conflict), nested.Body);
        var items = nested.Error["resources"]!.AsArray();
        Assert.That(items[0]!.AsObject(), Is.Empty);
        Assert.That(items[1]!["encoding"]![0]!.GetValue<string>(), Does.StartWith("Value \"latin1\" must be one of utf-8, utf-8_sig, shift_jis, cp932, euc_jp"));

        var p = (await Admin.CallAsync("package_create", new { name = CatalogFixtures.Unique("enc"), owner_org = Org }))!;
        var pid = p["id"]!.GetValue<string>();
        var create = await Admin.PostAsync("resource_create", new { package_id = pid, url = "https://e.lg.jp/c.csv", encoding = "utf-16" });
        Assert.That(create.Status, Is.EqualTo(HttpStatusCode.Conflict), create.Body);
        Assert.That(create.Error.ContainsKey("encoding"), Is.True, "un-nested for resource_create, as CKAN does");

        var upload = await Admin.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = pid, ["encoding"] = "SJIS" },
            "a.csv", Encoding.UTF8.GetBytes("a\n1\n"));
        var rid = upload.Ok()!["id"]!.GetValue<string>();
        Assert.That(upload.Result!["encoding"]!.GetValue<string>(), Is.EqualTo("SJIS"), "an alias is accepted and kept");

        var patch = await Admin.PostAsync("resource_patch", new { id = rid, encoding = "ascii" });
        Assert.That(patch.Status, Is.EqualTo(HttpStatusCode.Conflict), patch.Body);
        var update = await Admin.PostAsync("resource_update", new { id = rid, url = "https://e.lg.jp/d.csv", encoding = "utf8" });
        Assert.That(update.Status, Is.EqualTo(HttpStatusCode.OK), update.Body);
    }

    [Test]
    public async Task Update_and_patch_check_the_schema_too()
    {
        var name = CatalogFixtures.Unique("upd");
        await Admin.CallAsync("package_create", new { name, owner_org = Org, extras = Extras(("frequency", "毎月")) });
        var patch = await Admin.PostAsync("package_patch", new { id = name, extras = Extras(("frequency", "そのうち")) });
        Assert.That(patch.Status, Is.EqualTo(HttpStatusCode.Conflict), patch.Body);
        Assert.That(patch.Error.ContainsKey("frequency"), Is.True);
        var update = await Admin.PostAsync("package_update", new { id = name, owner_org = Org, extras = Extras(("lg_code", "242013")) });
        Assert.That(update.Status, Is.EqualTo(HttpStatusCode.Conflict), update.Body);
        Assert.That(update.Error.ContainsKey("lg_code"), Is.True);
        var shown = (await Admin.CallAsync("package_show", new { id = name }))!;
        Assert.That(shown["extras"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("毎月"), "nothing changed");
        var fine = await Admin.PostAsync("package_patch", new { id = name, extras = Extras(("frequency", "QUARTERLY"), ("lg_code", "242012")) });
        Assert.That(fine.Status, Is.EqualTo(HttpStatusCode.OK), fine.Body);
    }

    [Test]
    public async Task Scheming_lists_the_one_dataset_type()
    {
        Assert.That((await Anon.GetAsync("scheming_dataset_schema_list")).Ok()!.ToJsonString(), Is.EqualTo("[\"dataset\"]"));
        var other = await Anon.GetAsync("scheming_dataset_schema_show", "type=camel-photos");
        Assert.That(other.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Scheming_shows_fields_with_labels_and_choices()
    {
        var r = await Anon.GetAsync("scheming_dataset_schema_show", "type=dataset");
        var result = r.Ok()!;
        var fields = result["dataset_fields"]!.AsArray().ToDictionary(f => f!["field_name"]!.GetValue<string>(), f => f!.AsObject());
        Assert.Multiple(() =>
        {
            Assert.That(result["dataset_type"]!.GetValue<string>(), Is.EqualTo("dataset"));
            Assert.That(fields["name"]["required"]!.GetValue<bool>(), Is.True);
            Assert.That(fields.Values.Where(f => f["required"]!.GetValue<bool>()).Select(f => f["field_name"]!.GetValue<string>()),
                Is.EquivalentTo(new[] { "name", "owner_org" }), "CKAN's own required fields only");
            Assert.That(fields["frequency"]["label"]!["ja"]!.GetValue<string>(), Is.EqualTo("更新頻度"));
            Assert.That(fields["frequency"]["stored_as"]!.GetValue<string>(), Is.EqualTo("extra"));
            Assert.That(fields["frequency"]["display_property"]!.GetValue<string>(), Is.EqualTo("dct:accrualPeriodicity"));
            Assert.That(fields["frequency"]["choices"]!.AsArray().Any(c => c!["value"]!.GetValue<string>() == AnnualUri && c["label"]!["ja"]!.GetValue<string>() == "毎年"));
            Assert.That(fields["lg_code"]["label"]!["ja"]!.GetValue<string>(), Is.EqualTo("全国地方公共団体コード"));
            Assert.That(fields.ContainsKey("resources"), Is.False, "resources are listed apart");
            Assert.That(result["resource_fields"]!.AsArray().Select(f => f!["field_name"]!.GetValue<string>()), Does.Contain("encoding"));
        });
        Assert.That((await Anon.GetAsync("scheming_dataset_schema_show")).Ok()!.ToJsonString(), Is.EqualTo(result.ToJsonString()), "type defaults to dataset");
        Golden.AssertMatches("scheming_dataset_schema_show", r.Envelope, Host.BaseUrl);
    }
}
