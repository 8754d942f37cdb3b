using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Catalog.Core.Dispatch;
using Catalog.Core.Validation;

namespace Catalog.Core.DataStore;

/// <summary>
/// datastore_search's parameters read against one table: every field name is looked up among its columns and
/// every value converted to its column's type, so what reaches the store is positions and typed values. Names
/// and values that do not fit are CKAN's validation errors (409), never a failure of the store.
/// </summary>
public sealed record SearchRequest(RowQuery Query, string RecordsFormat, bool LimitGiven)
{
    private const int MaxWords = 32;
    private const int MaxTextLength = 1000;
    private const int MaxFilterValues = 1000;

    public static SearchRequest Read(JsonObject d, RowTable table, DataStoreOptions options)
    {
        var fields = Fields(d["fields"], table);
        var limitGiven = d["limit"] is not null;
        var limit = Math.Min(DataDict.Int(d, "limit", options.RowsDefault, min: 0), options.RowsMax);
        var offset = DataDict.Int(d, "offset", 0, min: 0);
        var format = DataDict.String(d, "records_format") ?? "objects";
        if (format is not ("objects" or "lists" or "csv" or "tsv"))
            throw ValidationException.For("records_format", "Must be one of objects, lists, csv or tsv");
        var (words, columnWords) = Q(d["q"], table);
        return new SearchRequest(new RowQuery
        {
            Fields = fields,
            Filters = Filters(d["filters"], table),
            Words = words,
            ColumnWords = columnWords,
            Sort = Sort(d["sort"], table),
            Distinct = DataDict.Bool(d, "distinct", false),
            Limit = limit,
            Offset = offset,
            IncludeTotal = DataDict.Bool(d, "include_total", true),
        }, format, limitGiven);
    }

    private static int Column(RowTable table, string name, string key)
    {
        if (name == RowColumns.IdName) return RowColumns.IdColumn;
        for (var i = 0; i < table.Columns.Count; i++)
            if (table.Columns[i].Id == name) return i;
        throw ValidationException.For(key, $"field \"{Shorten(name)}\" not in resource");
    }

    private static string Shorten(string s) => s.Length <= 100 ? s : s[..100] + "…";

    private static ColumnType TypeOf(RowTable table, int column) =>
        column == RowColumns.IdColumn ? ColumnType.Int : table.Columns[column].Type;

    /// <summary>A JSON object or list may come as JSON text (GET query strings, form posts).</summary>
    private static JsonNode? Structured(JsonNode? node, string key)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var s) && s.TrimStart() is ['{' or '[', ..])
        {
            try { return JsonNode.Parse(s); }
            catch (JsonException) { throw ValidationException.For(key, "Could not parse as valid JSON"); }
        }
        return node;
    }

    private static List<int> Fields(JsonNode? node, RowTable table)
    {
        List<string>? names = Structured(node, "fields") switch
        {
            null => null,
            JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s
                : throw ValidationException.For("fields", "Must be a list of field names")).ToList(),
            JsonValue v when v.TryGetValue<string>(out var s) => s.Split(',').Select(x => x.Trim()).Where(x => x.Length > 0).ToList(),
            _ => throw ValidationException.For("fields", "Must be a list of field names"),
        };
        if (names is null || names.Count == 0)
            return [RowColumns.IdColumn, .. Enumerable.Range(0, table.Columns.Count)];
        return names.Select(n => Column(table, n, "fields")).ToList();
    }

    public static List<(int Column, IReadOnlyList<object?> Values)> Filters(JsonNode? node, RowTable table)
    {
        var filters = new List<(int, IReadOnlyList<object?>)>();
        switch (Structured(node, "filters"))
        {
            case null: return filters;
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    var column = Column(table, name, "filters");
                    var values = value is JsonArray a ? a.ToList() : [value];
                    if (values.Count > MaxFilterValues) throw ValidationException.For("filters", "Too many values");
                    var typed = new List<object?>();
                    foreach (var item in values)
                    {
                        if (!TryValue(item, TypeOf(table, column), out var converted))
                            throw ValidationException.For("filters", $"invalid value for field \"{Shorten(name)}\"");
                        typed.Add(converted);
                    }
                    filters.Add((column, typed));
                }
                return filters;
            default: throw ValidationException.For("filters", "Must be a dict");
        }
    }

    /// <summary>A JSON value as a value of <paramref name="type"/>; null stays null.</summary>
    public static bool TryValue(JsonNode? node, ColumnType type, out object? value)
    {
        value = null;
        switch (node)
        {
            case null: return true;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return CellValues.TryConvert(v.GetValue<string>(), type, out value);
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                var b = v.GetValue<bool>();
                return CellValues.TryConvert(type == ColumnType.Bool ? (b ? "true" : "false") : b ? "true" : "false", type, out value);
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                return CellValues.TryConvert(v.ToJsonString(), type, out value);
            default: return false;
        }
    }

    private static (List<string>, List<(int, string)>) Q(JsonNode? node, RowTable table)
    {
        switch (Structured(node, "q"))
        {
            case null: return ([], []);
            case JsonValue v when v.TryGetValue<string>(out var s): return (Words(s, "q"), []);
            case JsonObject o:
                var perColumn = new List<(int, string)>();
                foreach (var (name, value) in o)
                {
                    var column = Column(table, name, "q");
                    var text = value is JsonValue tv && tv.TryGetValue<string>(out var t) ? t : value?.ToJsonString() ?? "";
                    perColumn.AddRange(Words(text, "q").Select(w => (column, w)));
                }
                if (perColumn.Count > MaxWords) throw ValidationException.For("q", "Too many words");
                return ([], perColumn);
            default: throw ValidationException.For("q", "Must be a string or a dict");
        }
    }

    private static List<string> Words(string text, string key)
    {
        if (text.Length > MaxTextLength) throw ValidationException.For(key, "The text is too long");
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (words.Count > MaxWords) throw ValidationException.For(key, "Too many words");
        return words;
    }

    private static List<(int, bool)> Sort(JsonNode? node, RowTable table)
    {
        var specs = node switch
        {
            null => [],
            JsonArray a => a.Select(x => x?.ToString() ?? "").ToList(),
            JsonValue v when v.TryGetValue<string>(out var s) => s.Split(',').ToList(),
            _ => throw ValidationException.For("sort", "Must be a string or a list"),
        };
        var sort = new List<(int, bool)>();
        foreach (var raw in specs.Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            var spec = raw;
            var descending = false;
            if (spec.EndsWith(" desc", StringComparison.OrdinalIgnoreCase)) { descending = true; spec = spec[..^5].TrimEnd(); }
            else if (spec.EndsWith(" asc", StringComparison.OrdinalIgnoreCase)) spec = spec[..^4].TrimEnd();
            if (spec.Length >= 2 && spec[0] == '"' && spec[^1] == '"') spec = spec[1..^1].Replace("\"\"", "\"");
            sort.Add((Column(table, spec, "sort"), descending));
        }
        return sort;
    }
}

/// <summary>CSV and TSV lines as CKAN writes them: fields quoted when they hold the separator, a quote or a line break.</summary>
public static class DelimitedText
{
    public static string Text(object? v) => v switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => v.ToString() ?? "",
    };

    public static void AppendLine(System.Text.StringBuilder sb, IEnumerable<string> fields, char separator)
    {
        var first = true;
        foreach (var f in fields)
        {
            if (!first) sb.Append(separator);
            first = false;
            if (f.IndexOfAny([separator, '"', '\n', '\r']) >= 0) sb.Append('"').Append(f.Replace("\"", "\"\"")).Append('"');
            else sb.Append(f);
        }
        sb.Append("\r\n");
    }
}
