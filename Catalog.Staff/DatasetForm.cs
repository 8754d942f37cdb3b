using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Catalog.Staff;

/// <summary>One input of the dataset form, generated from a field of the metadata schema.</summary>
public sealed record FormInput(string Name, string Label, string? LabelEn, string? Help, bool Required, string Kind,
    IReadOnlyList<(string Value, string Label)> Options);

/// <summary>
/// The dataset form as data: its inputs come from schemas/dataset.schema.json (labels, help, choices, required marks),
/// its values from a post or from package_show, and it becomes the dict package_create / package_patch take.
/// </summary>
public sealed class DatasetForm
{
    public const string NamePrefix = "240001_";
    public const string DefaultLicense = "cc-by-40-intl";
    /// <summary>Fields the form does not show: files have their own page; the rest are set by the catalog or by harvests.</summary>
    private static readonly HashSet<string> Hidden = ["resources", "lg_code", "url", "version", "issued", "modified", "conforms_to", "access_rights", "language", "copyright"];

    public List<FormInput> Inputs { get; } = [];
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<string>> Errors { get; set; } = new(StringComparer.Ordinal);
    public List<string> TagSuggestions { get; set; } = [];

    public DatasetForm(IReadOnlyList<(string Value, string Label)> organizations, IReadOnlyList<(string Value, string Label)> categories)
    {
        var schema = MetadataSchema.Default;
        foreach (var f in schema.DatasetFields)
        {
            if (Hidden.Contains(f.Name)) continue;
            var label = f.Label["ja"]?.GetValue<string>() ?? f.Name;
            var en = f.Label["en"]?.GetValue<string>();
            var help = f.Help?["ja"]?.GetValue<string>();
            var required = f.Required || f.Name is "title";
            FormInput input = f.Name switch
            {
                "owner_org" => new(f.Name, label, en, help, true, "select", organizations),
                "groups" => new(f.Name, label, en, help, false, "select", [("", "（なし）"), .. categories]),
                "private" => new("visibility", "公開の状態", "Visibility", "下書きと非公開は組織のメンバーだけが見られます。公開にすると誰でも見られます。", true, "select",
                    [("draft", "下書き / Draft"), ("private", "非公開 / Private"), ("public", "公開 / Public")]),
                "tags" => new(f.Name, label, en, (help is null ? "" : help + " ") + "読点「、」またはカンマで区切ります。", false, "tags", []),
                "notes" => new(f.Name, label, en, help, false, "textarea", []),
                _ when f.Choices.Count > 0 => new(f.Name, label, en, help, required, "select",
                    [.. f.Name == "license_id" ? [] : new[] { ("", "（選択してください）") },
                     .. f.Choices.Select(c => (c.Code, c.Label["ja"]?.GetValue<string>() ?? c.Code))]),
                _ => new(f.Name, label, en, help, required, f.Name.EndsWith("email", StringComparison.Ordinal) ? "email" : "text", []),
            };
            Inputs.Add(input);
        }
        Values["license_id"] = DefaultLicense;
        Values["visibility"] = "draft";
        if (organizations.Count > 0) Values["owner_org"] = organizations[0].Value;
    }

    public string Value(string name) => Values.GetValueOrDefault(name) ?? "";

    /// <summary>Keeps everything typed, so a form shown again with errors loses nothing.</summary>
    public void ReadPost(IFormCollection form)
    {
        foreach (var input in Inputs)
            if (form.TryGetValue(input.Name, out var v)) Values[input.Name] = v.ToString().Trim();
    }

    public void ReadDataset(JsonObject pkg)
    {
        foreach (var input in Inputs)
        {
            Values[input.Name] = input.Name switch
            {
                // Free tags only: a vocabulary's tags are not typed in here, and are kept as they are on saving.
                "tags" => string.Join("、", (pkg["tags"] as JsonArray ?? []).Where(t => t?["vocabulary_id"] is null).Select(t => t?["name"]?.ToString())),
                "groups" => (pkg["groups"] as JsonArray)?.FirstOrDefault()?["name"]?.ToString() ?? "",
                "visibility" => pkg["state"]?.ToString() == "draft" ? "draft" : pkg["private"]?.GetValue<bool>() == true ? "private" : "public",
                "owner_org" => pkg["owner_org"]?.ToString() ?? "",
                _ => pkg[input.Name]?.ToString() ?? Extra(pkg, input.Name) ?? "",
            };
        }
    }

    /// <summary>The dict for package_create / package_patch; extras the form does not show are kept as they were.</summary>
    public JsonObject ToDataset(JsonObject? existing)
    {
        var schema = MetadataSchema.Default;
        var d = new JsonObject();
        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in existing?["extras"] as JsonArray ?? [])
            if (e?["key"]?.ToString() is { } k) extras[k] = e["value"]?.ToString() ?? "";
        foreach (var input in Inputs)
        {
            var v = Value(input.Name);
            switch (input.Name)
            {
                case "tags":
                    d["tags"] = new JsonArray(v.Split(['、', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Distinct().Select(t => (JsonNode)new JsonObject { ["name"] = t })
                        .Concat((existing?["tags"] as JsonArray ?? []).Where(t => t?["vocabulary_id"] is not null).Select(t => t!.DeepClone()))
                        .ToArray());
                    break;
                case "groups":
                    d["groups"] = v.Length == 0 ? new JsonArray() : new JsonArray(new JsonObject { ["name"] = v });
                    break;
                case "visibility":
                    d["private"] = v != "public";
                    d["state"] = v == "draft" ? "draft" : "active";
                    break;
                default:
                    if (schema.DatasetField(input.Name)?.Place == FieldPlace.Extra)
                    {
                        if (v.Length > 0) extras[input.Name] = v; else extras.Remove(input.Name);
                    }
                    else d[input.Name] = v;
                    break;
            }
        }
        d["name"] = Value("name").Length > 0 ? Value("name") : SuggestName(Value("title"));
        d["extras"] = new JsonArray(extras.Select(kv => (JsonNode)new JsonObject { ["key"] = kv.Key, ["value"] = kv.Value }).ToArray());
        return d;
    }

    /// <summary>
    /// CKAN's URL-name rules (lowercase ASCII letters, digits, - and _, 2–100 characters) after the prefecture's code:
    /// the title's ASCII words, or, for a title in Japanese only, the date and a short random part.
    /// </summary>
    public static string SuggestName(string title)
    {
        var sb = new StringBuilder();
        foreach (var c in title.Normalize(NormalizationForm.FormKC).ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
        }
        var slug = sb.ToString().Trim('_');
        if (slug.Length < 3) slug = $"{DateTime.UtcNow:yyyyMMdd}_{Guid.NewGuid().ToString("N")[..6]}";
        var name = NamePrefix + slug;
        return name.Length > 100 ? name[..100] : name;
    }

    private static string? Extra(JsonObject pkg, string key) =>
        (pkg["extras"] as JsonArray)?.FirstOrDefault(e => e?["key"]?.ToString() == key)?["value"]?.ToString();
}
