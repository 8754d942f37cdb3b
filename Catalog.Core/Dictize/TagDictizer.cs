using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

public static class TagDictizer
{
    public static JsonObject Dictize(Tag t) => new()
    {
        ["display_name"] = t.Name,
        ["id"] = t.Id,
        ["name"] = t.Name,
        ["state"] = ObjectState.Active,
        ["vocabulary_id"] = t.VocabularyId,
    };
}
