using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

public static class TagDictizer
{
    /// <summary>The tag's own columns, as CKAN's tag_dictize gives them (tag_list with all_fields, tag_show, vocabularies).</summary>
    public static JsonObject DictizeOwn(Tag t) => new()
    {
        ["display_name"] = t.Name,
        ["id"] = t.Id,
        ["name"] = t.Name,
        ["vocabulary_id"] = t.VocabularyId,
    };

    /// <summary>A tag as a dataset dict lists it.</summary>
    public static JsonObject Dictize(Tag t) => new()
    {
        ["display_name"] = t.Name,
        ["id"] = t.Id,
        ["name"] = t.Name,
        ["state"] = ObjectState.Active,
        ["vocabulary_id"] = t.VocabularyId,
    };
}
