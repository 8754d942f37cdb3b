using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using NJsonSchema.Validation.FormatValidators;

namespace Catalog.Core.Validation;

/// <summary>Where CKAN's Action API carries a field: a key of the dict itself, or an extra.</summary>
public enum FieldPlace { Core, Extra }

/// <param name="Value">What the form stores: a vocabulary URI, a licence id, an encoding name.</param>
/// <param name="Aliases">Other spellings that stand for this choice (BODIK's free text, ISO codes).</param>
public sealed record MetadataChoice(JsonNode Value, JsonObject Label, IReadOnlyList<string> Aliases)
{
    /// <summary>The value as text.</summary>
    public string Code => Value.GetValueKind() == JsonValueKind.String ? Value.GetValue<string>() : Value.ToJsonString();

    /// <summary>For a vocabulary URI its last segment (ANNUAL, JPN), else the value.</summary>
    public string ShortCode => Code.Contains("://", StringComparison.Ordinal) ? Code[(Code.LastIndexOf('/') + 1)..] : Code;
}

/// <summary>One field of the metadata schema: its annotations (x-*) and the JSON Schema its value must satisfy.</summary>
public sealed class MetadataField
{
    private readonly Dictionary<string, MetadataChoice> _spellings = new(StringComparer.Ordinal);

    public required string Name { get; init; }
    public required FieldPlace Place { get; init; }
    public required JsonObject Label { get; init; }
    public JsonObject? Help { get; init; }
    public JsonObject? Placeholder { get; init; }
    public string? Dcat { get; init; }
    public string? Preset { get; init; }
    public bool Required { get; init; }
    public bool Recommended { get; init; }
    /// <summary>The choices are offered, not enforced (CKAN keeps any licence id).</summary>
    public bool ChoicesOpen { get; init; }
    /// <summary>The value may name several choices, as a JSON list or separated by commas.</summary>
    public bool Multiple { get; init; }
    public string? ErrorMessage { get; init; }
    /// <summary>
    /// How the field is written to BODIK (<c>x-bodik</c>): <c>key</c>, the remote key (a core key or an extra, as
    /// the field's own place), and <c>value</c>: <c>code</c> (as stored, the default), <c>label:ja</c> or
    /// <c>label:en</c> (the label of the choice named). Null when BODIK does not take the field.
    /// </summary>
    public JsonObject? Bodik { get; init; }
    public required JsonSchema Schema { get; init; }
    public IReadOnlyList<MetadataChoice> Choices { get; private init; } = [];

    internal static MetadataField Create(string name, JsonObject raw, JsonSchema schema, bool required)
    {
        var place = Text(raw, "x-ckan") switch
        {
            "core" => FieldPlace.Core,
            "extra" => FieldPlace.Extra,
            var other => throw new InvalidOperationException($"Field {name}: x-ckan must be \"core\" or \"extra\", not \"{other}\""),
        };
        var label = raw["x-label"] as JsonObject;
        if (label?["ja"] is null || label["en"] is null)
            throw new InvalidOperationException($"Field {name}: x-label needs ja and en");
        var choices = (raw["x-choices"] as JsonArray ?? []).Select(c => c as JsonObject).Select(c => new MetadataChoice(
            c?["value"]?.DeepClone() ?? throw new InvalidOperationException($"Field {name}: a choice without a value"),
            c["label"]?.DeepClone() as JsonObject ?? throw new InvalidOperationException($"Field {name}: choice {c["value"]} without a label"),
            (c["aliases"] as JsonArray ?? []).Select(a => a!.GetValue<string>()).ToList())).ToList();

        var field = new MetadataField
        {
            Name = name,
            Place = place,
            Label = (JsonObject)label.DeepClone(),
            Help = raw["x-help"]?.DeepClone() as JsonObject,
            Placeholder = raw["x-placeholder"]?.DeepClone() as JsonObject,
            Dcat = Text(raw, "x-dcat"),
            Preset = Text(raw, "x-preset"),
            Required = required,
            Recommended = raw["x-recommended"]?.GetValue<bool>() ?? false,
            ChoicesOpen = raw["x-choices-open"]?.GetValue<bool>() ?? false,
            Multiple = raw["x-multiple"]?.GetValue<bool>() ?? false,
            ErrorMessage = Text(raw, "x-error"),
            Bodik = raw["x-bodik"]?.DeepClone() as JsonObject,
            Schema = schema,
            Choices = choices,
        };
        foreach (var choice in choices)
        {
            var spellings = new[] { choice.Code, choice.ShortCode }
                .Concat(choice.Label.Select(kv => kv.Value?.GetValue<string>()).OfType<string>())
                .Concat(choice.Aliases);
            foreach (var spelling in spellings.Select(Normalize).Distinct())
            {
                if (field._spellings.TryGetValue(spelling, out var taken) && taken != choice)
                    throw new InvalidOperationException($"Field {name}: \"{spelling}\" stands for both {taken.Code} and {choice.Code}");
                field._spellings[spelling] = choice;
            }
        }
        return field;
    }

    /// <summary>The choice a value stands for (its value, code, a label or an alias), or null.</summary>
    public MetadataChoice? Choice(string given) => _spellings.GetValueOrDefault(Normalize(given));

    /// <summary>The choices a (possibly multiple) value names, or null when one of them is no choice.</summary>
    public IReadOnlyList<MetadataChoice>? Choose(string given)
    {
        if (Choice(given) is { } one) return [one];
        if (!Multiple) return null;
        var found = new List<MetadataChoice>();
        foreach (var item in Items(given))
        {
            if (Choice(item) is not { } c) return null;
            found.Add(c);
        }
        return found.Count > 0 ? found : null;
    }

    /// <summary>The messages for a value that is set; empty when it is right.</summary>
    internal List<string> Check(string value, JsonSchemaValidatorSettings settings)
    {
        var messages = new List<string>();
        if (Choices.Count > 0 && !ChoicesOpen)
        {
            var items = Multiple && Choice(value) is null ? Items(value) : [value];
            foreach (var item in items.Where(i => Choice(i) is null))
                messages.Add($"Value \"{Truncate(item)}\" must be one of {string.Join(", ", Choices.Select(c => c.ShortCode))}" +
                    (Choices.Any(c => c.Code != c.ShortCode) ? " (a code, its URI or its label)" : ""));
        }
        foreach (var error in Schema.Validate(JToken.FromObject(value), settings))
        {
            messages.Add(error.Kind switch
            {
                ValidationErrorKind.StringTooLong => $"Must be no longer than {Schema.MaxLength} characters",
                ValidationErrorKind.StringTooShort => $"Must be at least {Schema.MinLength} characters long",
                _ => ErrorMessage ?? MetadataSchema.FormatMessage(Schema.Format) ?? "Invalid value",
            });
        }
        return messages.Distinct().ToList();
    }

    /// <summary>The items of a multiple value: a JSON list of strings, or text separated by commas.</summary>
    private static List<string> Items(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith('['))
        {
            try
            {
                if (JsonNode.Parse(trimmed) is JsonArray list)
                    return list.Select(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : x?.ToJsonString() ?? "").ToList();
            }
            catch (JsonException) { }
        }
        return trimmed.Split([',', '、', '，'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>Spellings compare after NFKC (full-width digits), without white space and case.</summary>
    private static string Normalize(string s)
    {
        var folded = s.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(folded.Length);
        foreach (var ch in folded)
            if (!char.IsWhiteSpace(ch)) sb.Append(char.ToLowerInvariant(ch));
        return sb.ToString();
    }

    private static string? Text(JsonObject raw, string key) => raw[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string Truncate(string s) => s.Length > 60 ? s[..60] + "…" : s;
}

/// <summary>
/// The catalog's one metadata schema, <c>schemas/dataset.schema.json</c> (embedded in this assembly): every dataset
/// and resource field with its labels, help, choices and its place in CKAN and DCAT-AP. Validation runs it on the
/// fields CKAN keeps as extras (the core fields have CKAN's own validators); the scheming actions show it.
/// </summary>
public sealed class MetadataSchema
{
    private const string ResourceName = "Catalog.Core.dataset.schema.json";
    private const string DcatDate = "dcat-date";
    private const string LgCode = "jp-local-government-code";

    private static readonly Lazy<MetadataSchema> Embedded = new(() => Load(ReadEmbedded()));
    private static readonly JsonSchemaValidatorSettings Settings = CreateSettings();

    /// <summary>The schema this build carries; loaded on first use.</summary>
    public static MetadataSchema Default => Embedded.Value;

    public required JsonSchema Schema { get; init; }
    public required string DatasetType { get; init; }
    public JsonObject? About { get; init; }
    public required IReadOnlyList<MetadataField> DatasetFields { get; init; }
    public required IReadOnlyList<MetadataField> ResourceFields { get; init; }

    public MetadataField? DatasetField(string name) => DatasetFields.FirstOrDefault(f => f.Name == name);
    public MetadataField? ResourceField(string name) => ResourceFields.FirstOrDefault(f => f.Name == name);

    public static string ReadEmbedded()
    {
        using var stream = typeof(MetadataSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("dataset.schema.json is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Parses a schema: NJsonSchema for the constraints, the raw JSON for the annotations and field order.</summary>
    public static MetadataSchema Load(string json)
    {
        // NJsonSchema parses from memory here: no I/O is awaited, so waiting on it blocks nothing.
        var schema = JsonSchema.FromJsonAsync(json).GetAwaiter().GetResult();
        var raw = JsonNode.Parse(json)!.AsObject();
        var rawResources = raw["properties"]?["resources"]?["items"] as JsonObject
            ?? throw new InvalidOperationException("dataset.schema.json has no resources.items");
        return new MetadataSchema
        {
            Schema = schema,
            DatasetType = raw["x-dataset-type"]?.GetValue<string>() ?? "dataset",
            About = raw["x-about"]?.DeepClone() as JsonObject,
            // Resources are listed apart, as ckanext-scheming does.
            DatasetFields = Fields(raw, schema).Where(f => f.Name != "resources").ToList(),
            ResourceFields = Fields(rawResources, schema.Properties["resources"].Item!.ActualSchema),
        };
    }

    private static List<MetadataField> Fields(JsonObject raw, JsonSchema schema)
    {
        var required = (raw["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet();
        return (raw["properties"] as JsonObject ?? []).Select(kv => MetadataField.Create(
            kv.Key, kv.Value as JsonObject ?? throw new InvalidOperationException($"Field {kv.Key} is not an object"),
            schema.Properties[kv.Key].ActualSchema, required.Contains(kv.Key))).ToList();
    }

    /// <summary>A dataset's extras against the schema's extra fields; messages go under the field's name.</summary>
    public void CheckDataset(JsonObject input, JsonObject errors)
    {
        if (input["extras"] is not JsonArray extras) return;
        foreach (var field in DatasetFields.Where(f => f.Place == FieldPlace.Extra))
        {
            // Keys are compared as they will be saved: the key validators strip them.
            var values = extras.OfType<JsonObject>()
                .Where(e => Validators.AsString(e["key"])?.Trim() == field.Name)
                .Select(e => AsText(e["value"]));
            Report(errors, field, values);
        }
    }

    /// <summary>A resource's free keys against the schema's extra resource fields.</summary>
    public void CheckResource(JsonObject input, JsonObject errors)
    {
        foreach (var field in ResourceFields.Where(f => f.Place == FieldPlace.Extra))
            if (input.TryGetPropertyValue(field.Name, out var value))
                Report(errors, field, [AsText(value)]);
    }

    private static void Report(JsonObject errors, MetadataField field, IEnumerable<string?> values)
    {
        // Unset is fine: only what CKAN requires is required.
        var messages = values.Where(v => !string.IsNullOrWhiteSpace(v)).SelectMany(v => field.Check(v!, Settings)).Distinct().ToList();
        if (messages.Count == 0) return;
        var list = errors[field.Name] as JsonArray ?? [];
        foreach (var m in messages) list.Add(m);
        errors[field.Name] = list;
    }

    /// <summary>Extras are text in CKAN: other JSON values count as their JSON text.</summary>
    private static string? AsText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    internal static string? FormatMessage(string? format) => format switch
    {
        DcatDate => "Date format incorrect",
        LgCode => "Must be a 6-digit local government code with a valid check digit",
        _ => null,
    };

    private static JsonSchemaValidatorSettings CreateSettings()
    {
        var settings = new JsonSchemaValidatorSettings();
        settings.AddCustomFormatValidator(new FormatCheck(DcatDate, ValidationErrorKind.DateExpected, DcatDates.IsValid));
        settings.AddCustomFormatValidator(new FormatCheck(LgCode, ValidationErrorKind.Unknown, LocalGovernmentCode.IsValid));
        return settings;
    }

    private sealed class FormatCheck(string format, ValidationErrorKind kind, Func<string, bool> isValid) : IFormatValidator
    {
        public string Format => format;
        public ValidationErrorKind ValidationErrorKind => kind;
        public bool IsValid(string value, JTokenType tokenType) => tokenType != JTokenType.String || isValid(value);
    }
}

/// <summary>Dates as DCAT takes them: xsd:gYear, xsd:gYearMonth, xsd:date or xsd:dateTime (2024, 2024-04, 2024-04-01, 2024-04-01T09:00:00).</summary>
internal static partial class DcatDates
{
    [GeneratedRegex(@"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")]
    private static partial Regex Shape();

    public static bool IsValid(string s)
    {
        if (!Shape().IsMatch(s)) return false;
        const DateTimeStyles styles = DateTimeStyles.RoundtripKind;
        var inv = CultureInfo.InvariantCulture;
        return s.Length switch
        {
            4 => true,
            7 => DateTime.TryParseExact(s, "yyyy-MM", inv, styles, out _),
            10 => DateTime.TryParseExact(s, "yyyy-MM-dd", inv, styles, out _),
            _ => DateTime.TryParse(s, inv, styles, out _),
        };
    }
}
