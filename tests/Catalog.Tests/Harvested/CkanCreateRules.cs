using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Catalog.Tests.Harvested;

/// <summary>
/// The rules of CKAN's default create schema a harvested dict meets again on the harvesting side
/// (ckan/logic/schema.py default_create_package_schema, ckan/logic/validators.py): names, tags, e-mails, extras.
/// </summary>
public static partial class CkanCreateRules
{
    private static readonly HashSet<string> CoreKeys =
    [
        "id", "name", "title", "author", "author_email", "maintainer", "maintainer_email", "license_id", "notes", "url",
        "version", "state", "type", "owner_org", "private", "metadata_created", "metadata_modified", "creator_user_id",
        "resources", "tags", "extras", "groups", "organization", "relationships_as_object", "relationships_as_subject",
    ];

    /// <summary>The errors CKAN would report, keyed as CKAN keys them; empty when the dict passes.</summary>
    public static List<string> Check(JsonObject d)
    {
        var errors = new List<string>();
        var name = d["name"]?.GetValue<string>() ?? "";
        // name_validator: 2–100 characters of lowercase alphanumerics, - and _.
        if (!PackageName().IsMatch(name)) errors.Add($"name: {name}");
        if (d["title"]?.GetValue<string>() is { Length: > 100_000 }) errors.Add("title: too long");
        foreach (var key in new[] { "author_email", "maintainer_email" })
            if (d[key]?.GetValue<string>() is { Length: > 0 } email && !Email().IsMatch(email)) errors.Add($"{key}: {email}");
        foreach (var tag in (d["tags"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // tag_length_validator (2–100, MIN_TAG_LENGTH/MAX_TAG_LENGTH) and tag_name_validator ([\w \-.]).
            var t = tag["name"]?.GetValue<string>() ?? "";
            if (t.Length is < 2 or > 100 || !TagName().IsMatch(t)) errors.Add($"tags: {t}");
        }
        foreach (var extra in (d["extras"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = extra["key"]?.GetValue<string>() ?? "";
            // duplicate_extras_key and the core-key check of the extras schema.
            if (key.Length == 0 || CoreKeys.Contains(key)) errors.Add($"extras: {key}");
        }
        var extraKeys = (d["extras"] as JsonArray ?? []).OfType<JsonObject>().Select(e => e["key"]?.GetValue<string>()).ToList();
        if (extraKeys.Count != extraKeys.Distinct().Count()) errors.Add("extras: duplicate key");
        foreach (var r in (d["resources"] as JsonArray ?? []).OfType<JsonObject>())
            if (r["url"] is null) errors.Add("resources: url missing");
        return errors;
    }

    [GeneratedRegex("^[a-z0-9_-]{2,100}$")] private static partial Regex PackageName();
    [GeneratedRegex(@"^[\w \-.]+$")] private static partial Regex TagName();
    // ckan/logic/validators.py email_pattern
    [GeneratedRegex(@"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")]
    private static partial Regex Email();
}
