using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Catalog.Core.TableValidation;

/// <summary>What a column holds beyond its type: the rules of the standard datasets that a type cannot say.</summary>
public enum FieldKind { Plain, LocalGovernmentCode, Latitude, Longitude, Flag, List }

/// <summary>One column of a Table Schema (Frictionless), with the <c>x-</c> keys our standard schemas add.</summary>
public sealed record TableField(
    string Name,
    string Type,
    string? Format,
    bool Required,
    bool ColumnRequired,
    IReadOnlyList<string>? Enum,
    Regex? Pattern,
    FieldKind Kind,
    IReadOnlyList<string> Aliases,
    string? Example)
{
    /// <summary>The column must be present (a required value needs its column; flags need theirs even when empty).</summary>
    public bool MustExist => Required || ColumnRequired;
}

/// <summary>
/// A Frictionless Table Schema: <c>fields[]</c> with <c>name</c>, <c>type</c> (string, number, integer, date, time,
/// year, boolean), <c>format</c> and <c>constraints</c> (<c>required</c>, <c>enum</c>, <c>pattern</c>); our standard
/// schemas add <c>x-kind</c>, <c>x-aliases</c> (the v1 推奨データセット header of the same column) and
/// <c>x-column-required</c>.
/// </summary>
public sealed class TableSchema
{
    private static readonly HashSet<string> Types = ["string", "number", "integer", "date", "time", "year", "boolean", "any"];

    public required IReadOnlyList<TableField> Fields { get; init; }
    public string? Name { get; init; }
    public string? Title { get; init; }
    public required JsonObject Raw { get; init; }

    /// <summary>Parses a schema, or throws <see cref="FormatException"/> with a message fit for the client.</summary>
    public static TableSchema Parse(JsonObject raw)
    {
        if (raw["fields"] is not JsonArray fields || fields.Count == 0)
            throw new FormatException("Table Schema must have a non-empty \"fields\" list");
        var list = new List<TableField>();
        foreach (var node in fields)
        {
            if (node is not JsonObject f || Text(f, "name") is not { Length: > 0 } name)
                throw new FormatException("every field of a Table Schema needs a \"name\"");
            var type = Text(f, "type") ?? "string";
            if (!Types.Contains(type)) throw new FormatException($"field \"{name}\": unknown type \"{type}\"");
            var c = f["constraints"] as JsonObject;
            Regex? pattern = null;
            if (c is not null && Text(c, "pattern") is { } p)
            {
                // Client-supplied patterns run on every cell: bounded in time, anchored as Frictionless anchors them.
                try { pattern = new Regex($"^(?:{p})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)); }
                catch (ArgumentException) { throw new FormatException($"field \"{name}\": invalid pattern"); }
            }
            var kind = Text(f, "x-kind") switch
            {
                "lgcode" => FieldKind.LocalGovernmentCode,
                "latitude" => FieldKind.Latitude,
                "longitude" => FieldKind.Longitude,
                "flag" => FieldKind.Flag,
                "list" => FieldKind.List,
                _ => name switch { "緯度" => FieldKind.Latitude, "経度" => FieldKind.Longitude, _ => FieldKind.Plain },
            };
            list.Add(new TableField(
                name, type, Text(f, "format"),
                Required: c?["required"] is JsonValue r && r.TryGetValue<bool>(out var req) && req,
                ColumnRequired: f["x-column-required"] is JsonValue cr && cr.TryGetValue<bool>(out var colReq) && colReq,
                Enum: c?["enum"] is JsonArray e ? e.Select(v => v?.ToString() ?? "").ToList() : null,
                Pattern: pattern,
                Kind: kind,
                Aliases: f["x-aliases"] is JsonArray a ? a.Select(v => v?.ToString() ?? "").Where(v => v.Length > 0).ToList() : [],
                Example: Text(f, "example")));
        }
        var duplicate = list.GroupBy(x => x.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new FormatException($"field \"{duplicate.Key}\" is named twice");
        return new TableSchema { Fields = list, Name = Text(raw, "name"), Title = Text(raw, "title"), Raw = raw };
    }

    private static string? Text(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
