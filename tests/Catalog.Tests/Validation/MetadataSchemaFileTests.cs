using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Catalog.Core.Licenses;
using Catalog.Core.Seeding;
using Catalog.Core.Validation;
using NJsonSchema;

namespace Catalog.Tests.Validation;

/// <summary>The schema file itself: a well-formed JSON Schema, annotated the same way throughout, in step with the licences and the seed.</summary>
public sealed class MetadataSchemaFileTests
{
    private static readonly string[] StandardKeywords =
        ["type", "pattern", "format", "minLength", "maxLength", "default", "items", "properties", "required"];

    private static readonly string[] Annotations =
        ["x-ckan", "x-dcat", "x-recommended", "x-preset", "x-label", "x-help", "x-placeholder", "x-choices", "x-choices-open", "x-multiple", "x-error", "x-bodik"];

    private static readonly string[] JsonTypes = ["string", "boolean", "integer", "number", "array", "object", "null"];

    private static JsonObject Raw => JsonNode.Parse(MetadataSchema.ReadEmbedded())!.AsObject();

    [TestCase("240001", TestName = "Check digit of 三重県 240001")]
    [TestCase("242012", TestName = "Check digit of 津市 242012")]
    [TestCase("131105", TestName = "Check digit of 目黒区 131105")]
    [TestCase("272159", TestName = "Check digit of 寝屋川市 272159")]
    [TestCase("422011", TestName = "Check digit of 長崎市 422011")]
    [TestCase("131016", TestName = "Check digit of 千代田区 131016")]
    [TestCase("011002", TestName = "Check digit of 札幌市 011002")]
    [TestCase("231002", TestName = "Check digit of 名古屋市 231002")]
    public void Known_local_government_codes_pass(string code)
    {
        Assert.That(LocalGovernmentCode.IsValid(code), Is.True);
        Assert.That(LocalGovernmentCode.CheckDigit(code.AsSpan(0, 5)), Is.EqualTo(code[5] - '0'));
    }

    [TestCase("240002")]
    [TestCase("24000")]
    [TestCase("92011", Description = "leading zero lost")]
    [TestCase("13101", Description = "check digit missing")]
    [TestCase("2400010")]
    [TestCase("24000x")]
    [TestCase("２４０００１")]
    [TestCase("")]
    [TestCase(null)]
    public void Malformed_local_government_codes_fail(string? code) => Assert.That(LocalGovernmentCode.IsValid(code), Is.False);

    [Test]
    public async Task The_file_is_a_draft_07_json_schema_that_njsonschema_reads()
    {
        var schema = await JsonSchema.FromJsonAsync(MetadataSchema.ReadEmbedded());
        Assert.That(schema.SchemaVersion, Is.EqualTo("http://json-schema.org/draft-07/schema#"));
        Assert.That(schema.RequiredProperties, Is.EquivalentTo(new[] { "name", "owner_org" }), "CKAN's own required fields only");
        Assert.That(schema.Properties["resources"].Item!.Properties.Keys, Does.Contain("encoding"));
        Assert.That(MetadataSchema.Default.DatasetFields, Has.Count.GreaterThan(20));
    }

    [Test]
    public void Every_field_is_annotated_the_same_way()
    {
        var raw = Raw;
        var fields = Properties(raw).Concat(Properties(raw["properties"]!["resources"]!["items"]!.AsObject())).ToList();
        foreach (var (name, field) in fields)
        {
            Assert.Multiple(() =>
            {
                foreach (var key in field.Select(kv => kv.Key))
                    Assert.That(StandardKeywords.Contains(key) || Annotations.Contains(key), Is.True, $"{name}: unknown keyword {key}");
                var types = field["type"] is JsonArray list ? list.Select(t => t!.GetValue<string>()) : [field["type"]!.GetValue<string>()];
                Assert.That(types, Is.SubsetOf(JsonTypes), $"{name}: type");
                Assert.That(field["x-ckan"]?.GetValue<string>(), Is.AnyOf("core", "extra"), $"{name}: x-ckan");
                AssertTexts(field["x-label"], $"{name}: x-label");
                if (field["x-help"] is { } help) AssertTexts(help, $"{name}: x-help");
                if (field["x-placeholder"] is { } placeholder) AssertTexts(placeholder, $"{name}: x-placeholder");
                if (field["x-dcat"] is { } dcat)
                    Assert.That(dcat.GetValue<string>(), Does.Match("^[a-z]+:[A-Za-z]+(/[a-z]+:[A-Za-z]+)*$"), $"{name}: x-dcat");
                if (field["pattern"] is { } pattern)
                    Assert.DoesNotThrow(() => _ = new Regex(pattern.GetValue<string>()), $"{name}: pattern");
                if (field["format"] is { } format)
                    Assert.That(format.GetValue<string>(), Is.AnyOf("dcat-date", "jp-local-government-code"), $"{name}: a format the loader checks");
                foreach (var choice in field["x-choices"]?.AsArray() ?? [])
                {
                    Assert.That(choice!["value"], Is.Not.Null, $"{name}: choice value");
                    AssertTexts(choice["label"], $"{name}: label of {choice["value"]}");
                }
                if (field["x-ckan"]?.GetValue<string>() == "extra")
                    Assert.That(field["type"]!.GetValue<string>(), Is.EqualTo("string"), $"{name}: extras are text in CKAN");
            });
        }
    }

    [Test]
    public void Every_licence_of_the_catalog_is_a_licence_choice_and_no_other()
    {
        var choices = MetadataSchema.Default.DatasetField("license_id")!.Choices.Select(c => c.Code);
        var licences = LicenseRegistry.LoadEmbedded().All.Select(l => l.Id);
        Assert.That(choices, Is.EquivalentTo(licences));
        Assert.That(MetadataSchema.Default.DatasetField("license_id")!.ChoicesOpen, Is.True, "CKAN accepts any licence id");
    }

    [Test]
    public void The_seed_passes_the_schema()
    {
        var seedDir = SeedLoader.FindDefaultSeedDir(AppContext.BaseDirectory);
        Assert.That(seedDir, Is.Not.Null);
        var datasets = JsonNode.Parse(File.ReadAllText(Path.Combine(seedDir!, "datasets.json")))!.AsArray();
        foreach (var dataset in datasets.Select(d => d!.AsObject()))
        {
            var errors = new JsonObject();
            MetadataSchema.Default.CheckDataset(dataset, errors);
            foreach (var resource in dataset["resources"]?.AsArray() ?? [])
                MetadataSchema.Default.CheckResource(resource!.AsObject(), errors);
            Assert.That(errors, Is.Empty, $"{dataset["name"]}: {errors.ToJsonString()}");
        }
    }

    [Test]
    public void Two_choices_may_not_share_a_spelling()
    {
        var raw = Raw;
        var choices = raw["properties"]!["resources"]!["items"]!["properties"]!["encoding"]!["x-choices"]!.AsArray();
        choices.Add(JsonNode.Parse("""{"value": "utf-16", "label": {"ja": "UTF-16", "en": "UTF-16"}, "aliases": ["utf8"]}"""));
        var e = Assert.Throws<InvalidOperationException>(() => MetadataSchema.Load(raw.ToJsonString()));
        Assert.That(e!.Message, Does.Contain("\"utf8\" stands for both utf-8 and utf-16"));
    }

    private static IEnumerable<(string Name, JsonObject Field)> Properties(JsonObject schema) =>
        schema["properties"]!.AsObject().Select(kv => (kv.Key, kv.Value!.AsObject()));

    private static void AssertTexts(JsonNode? node, string what)
    {
        Assert.That(node, Is.InstanceOf<JsonObject>(), what);
        foreach (var lang in new[] { "ja", "en" })
            Assert.That(node![lang] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0, Is.True, $"{what}: {lang}");
    }
}
