using static Catalog.Core.Validation.Validators;

namespace Catalog.Core.Validation;

/// <summary>CKAN's vocabulary and vocabulary-tag schemas (default_create_vocabulary_schema, default_create_tag_schema).</summary>
public static class VocabularySchemas
{
    public const int NameMin = 2;
    public const int NameMax = 100;

    /// <summary>CKAN's <c>empty</c>: the key must not be given.</summary>
    public static readonly Validator Unexpected = f =>
    {
        if (!f.Missing && !IsEmpty(f.Value)) f.Error($"The input field {f.Key} was not expected.");
        else f.Drop();
    };

    /// <summary>The length half of CKAN's vocabulary_name_validator; the uniqueness half needs the store (the handler).</summary>
    public static readonly Validator VocabularyName = f =>
    {
        if (AsString(f.Value) is not { } s) return;
        if (s.Length < NameMin) f.Error($"Name must be at least {NameMin} characters long");
        else if (s.Length > NameMax) f.Error($"Name must be a maximum of {NameMax} characters long");
    };

    /// <summary>A tag inside a vocabulary dict: its name is the tag rule's.</summary>
    public static readonly Schema Tag = new Schema()
        .Field("name", NotMissing, NotEmpty, UnicodeSafe, Strip, TagName);

    public static readonly Schema Create = new Schema()
        .Field("id", Unexpected)
        .Field("name", NotEmpty, UnicodeSafe, Strip, VocabularyName)
        .List("tags", Tag, [IgnoreMissing]);

    /// <summary>id is required but checked by the handler (CKAN's "id not in data"); name and tags only when given.</summary>
    public static readonly Schema Update = new Schema()
        .Field("id", IgnoreMissing, UnicodeSafe)
        .Field("name", IgnoreMissing, UnicodeSafe, Strip, VocabularyName)
        .List("tags", Tag, [IgnoreMissing]);

    /// <summary>tag_create: a vocabulary tag only (free tags are made by tagging a dataset); no id of one's own.</summary>
    public static readonly Schema TagCreate = new Schema()
        .Field("id", Unexpected)
        .Field("name", NotMissing, NotEmpty, UnicodeSafe, Strip, TagName)
        .Field("vocabulary_id", NotMissing, NotEmpty, UnicodeSafe);
}
