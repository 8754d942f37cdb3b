using System.Text.Json.Nodes;
using static Catalog.Core.Validation.Validators;

namespace Catalog.Core.Validation;

/// <summary>
/// The cross-key checks on an <c>extras</c> list, shared by datasets and groups (CKAN's duplicate_extras_key and
/// extra_key_not_in_root_schema): a key may appear once, and may not be one of the object's own fields.
/// </summary>
public static class ExtrasRules
{
    /// <summary>A schema check (see <see cref="Schema.Check"/>) refusing duplicates and the given reserved keys.</summary>
    public static Action<JsonObject, JsonObject> Check(IReadOnlySet<string> reserved)
    {
        // Schemas are static fields: a set declared after the schema using it would still be null here.
        ArgumentNullException.ThrowIfNull(reserved);
        return (input, errors) =>
        {
            if (input["extras"] is not JsonArray extras) return;
            var messages = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            // Keys are compared as they will be saved: the key validators strip them.
            foreach (var key in extras.OfType<JsonObject>().Select(e => AsString(e["key"])?.Trim()).OfType<string>())
            {
                if (!seen.Add(key)) messages.Add($"Duplicate key \"{key}\"");
                if (reserved.Contains(key)) messages.Add($"There is a schema field with the same name: \"{key}\"");
            }
            if (messages.Count > 0) errors["extras_validation"] = new JsonArray(messages.Distinct().Select(m => (JsonNode?)m).ToArray());
        };
    }
}
