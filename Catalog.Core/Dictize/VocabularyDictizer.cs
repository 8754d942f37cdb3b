using System.Text.Json.Nodes;
using Catalog.Core.Store;

namespace Catalog.Core.Dictize;

/// <summary>CKAN's vocabulary_dictize: the vocabulary's columns and its tags (as tag_dictize gives them, without datasets).</summary>
public static class VocabularyDictizer
{
    public static JsonObject Dictize(Vocabulary v, IEnumerable<Tag> tags) => new()
    {
        ["id"] = v.Id,
        ["name"] = v.Name,
        ["tags"] = new JsonArray(tags.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => (JsonNode?)TagDictizer.DictizeOwn(t)).ToArray()),
    };
}
