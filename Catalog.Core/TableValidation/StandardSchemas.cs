using System.Reflection;
using System.Text.Json.Nodes;

namespace Catalog.Core.TableValidation;

/// <summary>One 自治体標準オープンデータセット: its id (the file name under schemas/standard/), titles and BODIK tag.</summary>
public sealed record StandardSchema(string Id, string TitleJa, string TitleEn, string Tag, TableSchema Schema);

/// <summary>
/// The table schemas of the 自治体標準オープンデータセット, kept as data in <c>schemas/standard/*.json</c> and embedded
/// so every host finds them. BODIK's API takes a dataset as a standard one when it carries <see cref="OdsTag"/> and
/// the standard's own tag.
/// </summary>
public static class StandardSchemas
{
    public const string OdsTag = "自治体標準ODS";

    private const string Prefix = "Catalog.Core.standard.";

    private static readonly Lazy<IReadOnlyList<StandardSchema>> Embedded = new(Load);

    public static IReadOnlyList<StandardSchema> All => Embedded.Value;

    public static StandardSchema? Find(string? id) => All.FirstOrDefault(s => s.Id == id);

    private static IReadOnlyList<StandardSchema> Load()
    {
        var assembly = typeof(StandardSchemas).Assembly;
        var list = new List<StandardSchema>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            var raw = JsonNode.Parse(stream)!.AsObject();
            var id = resource[Prefix.Length..^".json".Length];
            list.Add(new StandardSchema(id, raw["title"]!.GetValue<string>(), raw["x-title-en"]!.GetValue<string>(),
                raw["x-bodik-tag"]!.GetValue<string>(), TableSchema.Parse(raw)));
        }
        return list;
    }
}
