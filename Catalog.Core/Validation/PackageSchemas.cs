using System.Text.Json;
using System.Text.Json.Nodes;
using static Catalog.Core.Validation.Validators;

namespace Catalog.Core.Validation;

/// <summary>Dataset and resource schemas (CKAN's default_create_package_schema and friends); update derives from create.</summary>
public static class PackageSchemas
{
    public const int TitleMax = 1000;
    public const int TextMax = 100_000;
    public const int ShortMax = 1000;
    public const int UrlMax = 8000;
    /// <summary>
    /// <c>hash</c> is free-text metadata as in CKAN (a checksum in any notation), never a file name: capped well
    /// below the other short fields so it reads as a digest, not a place to store text.
    /// </summary>
    public const int HashMax = 256;

    /// <summary>Core resource keys; anything else a client sends is kept flat as an extra.</summary>
    public static readonly Schema Resource = new Schema { KeepExtraKeys = true }
        .Field("id", IgnoreEmpty, UnicodeSafe)
        .Field("package_id", IgnoreEmpty, UnicodeSafe)
        .Field("name", IgnoreMissing, UnicodeSafe, Strip, MaxLength(ShortMax))
        .Field("description", IgnoreMissing, UnicodeSafe, MaxLength(TextMax))
        .Field("url", IgnoreMissing, UnicodeSafe, Strip, MaxLength(UrlMax))
        .Field("url_type", IgnoreMissing, UnicodeSafe, MaxLength(100))
        .Field("format", IgnoreMissing, UnicodeSafe, MaxLength(100))
        .Field("hash", IgnoreMissing, UnicodeSafe, MaxLength(HashMax))
        .Field("mimetype", IgnoreMissing, UnicodeSafe, MaxLength(ShortMax))
        .Field("mimetype_inner", IgnoreMissing, UnicodeSafe, MaxLength(ShortMax))
        .Field("resource_type", IgnoreMissing, UnicodeSafe, MaxLength(ShortMax))
        .Field("cache_url", IgnoreMissing, UnicodeSafe, MaxLength(UrlMax))
        .Field("size", IgnoreEmpty, NaturalNumber)
        .Field("created", IgnoreEmpty, IsoDate)
        .Field("last_modified", IgnoreEmpty, IsoDate)
        .Field("cache_last_updated", IgnoreEmpty, IsoDate)
        // Computed by the catalog: accepted on input (clients echo package_show back) and ignored.
        .Field("position", IgnoreMissing, Drop)
        .Field("state", IgnoreMissing, Drop)
        .Field("metadata_modified", IgnoreMissing, Drop)
        .Field("datastore_active", IgnoreMissing, Drop)
        // Read by the resource actions: a non-file "upload" value is refused there.
        .Field("upload", IgnoreMissing, UnicodeSafe)
        .Field("clear_upload", IgnoreMissing, BooleanValue)
        .Check(MetadataChecks.Resource);

    public static readonly Schema Tag = new Schema()
        .Field("name", NotEmpty, UnicodeSafe, Strip, TagName)
        .Field("vocabulary_id", IgnoreEmpty, UnicodeSafe);

    public static readonly Schema Extra = new Schema()
        .Field("key", NotEmpty, UnicodeSafe, Strip, MaxLength(ShortMax))
        .Field("value", NotMissing, JsonText, MaxLength(TextMax));

    public static readonly Schema GroupRef = new Schema()
        .Field("id", IgnoreEmpty, UnicodeSafe)
        .Field("name", IgnoreEmpty, UnicodeSafe);

    /// <summary>Keys an extra may not take: they are the dataset's own fields. Declared before the schemas that use it.</summary>
    private static readonly HashSet<string> CoreKeys =
    [
        "id", "name", "title", "notes", "author", "author_email", "maintainer", "maintainer_email", "license_id", "url",
        "version", "private", "state", "type", "owner_org", "tag_string", "metadata_modified", "tags", "extras", "resources",
        "groups", "organization", "num_resources", "num_tags", "isopen", "license_title", "license_url", "metadata_created",
        "creator_user_id", "relationships_as_object", "relationships_as_subject",
    ];

    public static readonly Schema Create = new Schema()
        .Field("id", IgnoreEmpty, UnicodeSafe, Uuid)
        .Field("name", NotEmpty, UnicodeSafe, Name)
        .Field("title", IgnoreMissing, UnicodeSafe, Strip, MaxLength(TitleMax))
        .Field("notes", IgnoreMissing, UnicodeSafe, MaxLength(TextMax))
        .Field("author", IgnoreMissing, UnicodeSafe, MaxLength(ShortMax))
        .Field("author_email", IgnoreMissing, UnicodeSafe, Strip, Email)
        .Field("maintainer", IgnoreMissing, UnicodeSafe, MaxLength(ShortMax))
        .Field("maintainer_email", IgnoreMissing, UnicodeSafe, Strip, Email)
        .Field("license_id", IgnoreMissing, UnicodeSafe, MaxLength(100))
        .Field("url", IgnoreMissing, UnicodeSafe, Strip, MaxLength(UrlMax))
        .Field("version", IgnoreMissing, UnicodeSafe, PackageVersion)
        .Field("private", IgnoreMissing, BooleanValue)
        // A sysadmin's word that a dataset may be made public although a file failed validation (Domain/PublishingGate).
        .Field("validation_override", IgnoreMissing, BooleanValue)
        .Field("state", IgnoreEmpty, UnicodeSafe, OneOf("active", "draft", "deleted"))
        .Field("type", Default("dataset"), UnicodeSafe, Name)
        .Field("owner_org", IgnoreEmpty, UnicodeSafe)
        .Field("tag_string", IgnoreEmpty, UnicodeSafe)
        .Field("metadata_modified", IgnoreEmpty, IsoDate)
        .List("tags", Tag, [IgnoreMissing, TagNamesToDicts], flattenErrors: true)
        .List("extras", Extra, [IgnoreMissing])
        .List("resources", Resource, [IgnoreMissing])
        .List("groups", GroupRef, [IgnoreMissing, NamesToDicts])
        .Check(ExtrasRules.Check(CoreKeys))
        .Check(MetadataChecks.Dataset);

    /// <summary>package_update: the same fields, <c>id</c> names the dataset (id or name) and <c>name</c> is optional.</summary>
    public static readonly Schema Update = Create
        .With("id", NotEmpty, UnicodeSafe)
        .With("name", IgnoreEmpty, UnicodeSafe, Name);

    /// <summary>resource_create: a resource plus the dataset it belongs to.</summary>
    public static readonly Schema ResourceCreate = Resource.With("package_id", NotEmpty, UnicodeSafe);

    public static readonly Schema ResourceUpdate = Resource.With("id", NotEmpty, UnicodeSafe);

    /// <summary>Tags may also come as plain strings (a common client shortcut).</summary>
    private static void TagNamesToDicts(FieldContext f) => NamesToDicts(f);

    private static void NamesToDicts(FieldContext f)
    {
        if (f.Value is not JsonArray list) return;
        for (var i = 0; i < list.Count; i++)
            if (list[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                list[i] = new JsonObject { ["name"] = v.GetValue<string>() };
    }

    private static void Drop(FieldContext f) => f.Drop();
}

/// <summary>
/// The metadata schema (schemas/dataset.schema.json) as schema checks: the one place it joins the validation chain.
/// Every dataset and resource schema above derives from the two that carry these, so create, update, patch and the
/// resource actions all apply it. The schema loads on first use, not when these schemas are built.
/// </summary>
internal static class MetadataChecks
{
    public static void Dataset(JsonObject input, JsonObject errors) => MetadataSchema.Default.CheckDataset(input, errors);

    public static void Resource(JsonObject input, JsonObject errors) => MetadataSchema.Default.CheckResource(input, errors);
}
