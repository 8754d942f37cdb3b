using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Validation;

namespace Catalog.Core.Actions;

/// <summary>
/// ckanext-scheming's schema actions, answered from the metadata schema (schemas/dataset.schema.json): what a form or
/// a client needs to know about each field, with labels and help in Japanese and English.
/// </summary>
public static class Scheming
{
    /// <summary>The version of ckanext-scheming's schema description this output follows.</summary>
    public const int SchemingVersion = 2;

    public static ActionRegistry AddSchemingActions(this ActionRegistry r) => r
        .Read("scheming_dataset_schema_list", AuthRules.Anyone, List,
            "Return the dataset types that have a metadata schema.")
        .Read("scheming_dataset_schema_show", AuthRules.Anyone, Show,
            "Return the metadata schema of a dataset type: its dataset and resource fields with their labels, help texts,\nchoices, whether they are required, where CKAN keeps them (stored_as: core or extra) and their DCAT-AP property\n(display_property).\n\n:param type: (optional, default \"dataset\") the dataset type\n:param expanded: (optional) accepted for compatibility; the schema is always expanded");

    private static Task<JsonNode?> List(ActionContext ctx, JsonObject d) =>
        Task.FromResult<JsonNode?>(new JsonArray(MetadataSchema.Default.DatasetType));

    private static Task<JsonNode?> Show(ActionContext ctx, JsonObject d)
    {
        var schema = MetadataSchema.Default;
        var type = DataDict.String(d, "type") is { Length: > 0 } t ? t : schema.DatasetType;
        if (type != schema.DatasetType) throw new NotFoundException();
        return Task.FromResult<JsonNode?>(new JsonObject
        {
            ["scheming_version"] = SchemingVersion,
            ["dataset_type"] = schema.DatasetType,
            ["about"] = schema.About?.DeepClone(),
            ["dataset_fields"] = new JsonArray(schema.DatasetFields.Select(f => (JsonNode?)Field(f)).ToArray()),
            ["resource_fields"] = new JsonArray(schema.ResourceFields.Select(f => (JsonNode?)Field(f)).ToArray()),
        });
    }

    private static JsonObject Field(MetadataField f)
    {
        var o = new JsonObject
        {
            ["field_name"] = f.Name,
            ["label"] = f.Label.DeepClone(),
        };
        if (f.Help is not null) o["help_text"] = f.Help.DeepClone();
        if (f.Placeholder is not null) o["form_placeholder"] = f.Placeholder.DeepClone();
        if (f.Preset is not null) o["preset"] = f.Preset;
        o["required"] = f.Required;
        o["recommended"] = f.Recommended;
        if (f.Choices.Count > 0)
        {
            o["choices"] = new JsonArray(f.Choices.Select(c => (JsonNode?)new JsonObject
            {
                ["value"] = c.Value.DeepClone(),
                ["label"] = c.Label.DeepClone(),
            }).ToArray());
            // Open choices are offered, not enforced (scheming's select would refuse anything else).
            if (f.ChoicesOpen) o["choices_open"] = true;
        }
        o["stored_as"] = f.Place == FieldPlace.Core ? "core" : "extra";
        if (f.Dcat is not null) o["display_property"] = f.Dcat;
        return o;
    }
}
