using System.Text.Json.Nodes;

namespace Catalog.Core.Domain;

/// <summary>A flattened key that names nothing, or a value of the wrong kind for its place (CKAN's DataError).</summary>
public sealed class FlattenedKeyException(string message) : Exception(message);

/// <summary>
/// CKAN's flattened keys over a dataset dict (<c>resources__0__name</c>, <c>resources__1f9ab__url</c>,
/// <c>resources__-1</c>), as package_revise uses them: matching, glob filters and merged updates. Behaves as
/// ckan/lib/navl/dictization_functions.py so scripts written for CKAN revise the same fields here.
/// </summary>
public static class FlattenedKeys
{
    /// <summary>Paths (joined by <c>__</c>) of <paramref name="select"/>'s values that differ in <paramref name="data"/>.</summary>
    public static List<string> CheckDict(JsonNode? data, JsonObject select, string path = "")
    {
        var unmatched = new List<string>();
        if (data is not JsonObject obj) return [path];
        foreach (var (k, v) in select.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var here = Join(path, k);
            if (!obj.ContainsKey(k)) unmatched.Add(here);
            else if (v is JsonObject o) unmatched.AddRange(CheckDict(obj[k], o, here));
            else if (v is JsonArray a) unmatched.AddRange(CheckList(obj[k], a, here));
            else if (!JsonNode.DeepEquals(obj[k], v)) unmatched.Add(here);
        }
        return unmatched;
    }

    public static List<string> CheckList(JsonNode? data, JsonArray select, string path = "")
    {
        if (data is not JsonArray list) return [path];
        var unmatched = new List<string>();
        for (var i = 0; i < select.Count; i++)
        {
            var here = Join(path, i.ToString());
            var v = select[i];
            if (i >= list.Count) unmatched.Add(here);
            else if (v is JsonObject o) unmatched.AddRange(CheckDict(list[i], o, here));
            else if (v is JsonArray a) unmatched.AddRange(CheckList(list[i], a, here));
            else if (!JsonNode.DeepEquals(list[i], v)) unmatched.Add(here);
        }
        return unmatched;
    }

    /// <summary>The node a flattened key names, and its path with list positions resolved to indexes.</summary>
    public static (JsonNode? Node, List<object> Path) Resolve(JsonNode data, string key)
    {
        var path = new List<object>();
        JsonNode? current = data;
        foreach (var k in key.Split("__"))
        {
            if (current is JsonObject obj)
            {
                if (!obj.ContainsKey(k)) throw Unmatched(path, k);
                path.Add(k);
                current = obj[k];
                continue;
            }
            if (current is not JsonArray list) throw Unmatched(path, k);
            var index = IndexIn(list, k) ?? throw Unmatched(path, k);
            path.Add(index);
            current = list[index];
        }
        return (current, path);
    }

    /// <summary>A list position: an index (negative from the end) or the first five or more characters of an id.</summary>
    private static int? IndexIn(JsonArray list, string k)
    {
        if (k.Length >= 5)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonObject rec || rec["id"] is not JsonValue id || !id.TryGetValue<string>(out var s)) return null;
                if (s.StartsWith(k, StringComparison.Ordinal)) return i;
            }
            return null;
        }
        if (!int.TryParse(k, out var n) || n < -list.Count || n >= list.Count) return null;
        return n < 0 ? list.Count + n : n;
    }

    public static List<string> CheckStringKey(JsonNode data, string key, JsonNode? value)
    {
        var (current, path) = Resolve(data, key);
        var joined = string.Join("__", path);
        return value switch
        {
            JsonObject o => CheckDict(current, o, joined),
            JsonArray a => CheckList(current, a, joined),
            _ => JsonNode.DeepEquals(current, value) ? [] : [joined],
        };
    }

    /// <summary>
    /// Removes what the glob patterns name; <c>*</c> matches every key at its level and a <c>+</c> prefix keeps
    /// what it names from later removal (the first matching pattern wins).
    /// </summary>
    public static void FilterGlobMatch(JsonNode data, IEnumerable<string> patterns) =>
        Filter(data, patterns.Select(p => (p.StartsWith('+'), p.TrimStart('-', '+').Split("__"))).ToList());

    private static void Filter(JsonNode? data, List<(bool Keep, string[] Globs)> globs)
    {
        if (data is JsonObject obj)
        {
            var protectedKeys = new Dictionary<string, JsonNode?>();
            var children = new Dictionary<string, List<(bool, string[])>>();
            foreach (var (keep, g) in globs)
            {
                var head = g[0];
                if (head == "*")
                {
                    if (keep) foreach (var (k, v) in obj) protectedKeys[k] = v;
                    else Clear(obj, protectedKeys);
                    continue;
                }
                if (!obj.ContainsKey(head)) continue;
                if (g.Length > 1) Children(children, head).Add((keep, g[1..]));
                else if (keep) protectedKeys[head] = obj[head];
                else obj.Remove(head);
            }
            foreach (var (k, v) in protectedKeys)
                if (!obj.ContainsKey(k)) obj[k] = v;
            foreach (var (head, childGlobs) in children)
                if (obj.ContainsKey(head)) Filter(obj[head], childGlobs);
            return;
        }
        if (data is not JsonArray list) return;

        var keptIndexes = new HashSet<int>();
        var removed = new HashSet<int>();
        var listChildren = new Dictionary<int, List<(bool, string[])>>();
        foreach (var (keep, g) in globs)
        {
            var head = g[0];
            if (head == "*")
            {
                var all = Enumerable.Range(0, list.Count);
                if (keep) keptIndexes.UnionWith(all.Except(removed));
                else removed.UnionWith(all.Except(keptIndexes));
                continue;
            }
            if (IndexIn(list, head) is not { } index) continue;
            if (g.Length > 1) Children(listChildren, index).Add((keep, g[1..]));
            else if (keep) { if (!removed.Contains(index)) keptIndexes.Add(index); }
            else if (!keptIndexes.Contains(index)) removed.Add(index);
        }
        var gone = removed.Except(keptIndexes).ToHashSet();
        foreach (var (index, childGlobs) in listChildren)
            if (!gone.Contains(index)) Filter(list[index], childGlobs);
        foreach (var index in gone.OrderDescending()) list.RemoveAt(index);
    }

    /// <summary>A "-*" clears the level; what an earlier "+" protected is put back, as CKAN's update(protected) does.</summary>
    private static void Clear(JsonObject obj, Dictionary<string, JsonNode?> protectedKeys)
    {
        foreach (var k in obj.Select(kv => kv.Key).Where(k => !protectedKeys.ContainsKey(k)).ToList()) obj.Remove(k);
    }

    private static List<(bool, string[])> Children<TKey>(Dictionary<TKey, List<(bool, string[])>> map, TKey key) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        return list;
    }

    /// <summary>Merges <paramref name="update"/> into <paramref name="data"/>: dicts key by key, lists position by position.</summary>
    public static void UpdateMergeDict(JsonObject data, JsonNode? update, string path = "")
    {
        if (update is not JsonObject u) throw new FlattenedKeyException($"Expected dict for {path}");
        foreach (var (k, v) in u)
        {
            if (!data.ContainsKey(k)) data[k] = v?.DeepClone();
            else if (data[k] is JsonObject o) UpdateMergeDict(o, v, Join(path, k));
            else if (data[k] is JsonArray a) UpdateMergeList(a, v, Join(path, k));
            else data[k] = v?.DeepClone();
        }
    }

    public static void UpdateMergeList(JsonArray data, JsonNode? update, string path = "")
    {
        if (update is not JsonArray u) throw new FlattenedKeyException($"Expected list for {path}");
        for (var i = 0; i < u.Count; i++)
        {
            var v = u[i];
            if (i >= data.Count) data.Add(v?.DeepClone());
            else if (data[i] is JsonObject o) UpdateMergeDict(o, v, Join(path, i.ToString()));
            else if (data[i] is JsonArray a) UpdateMergeList(a, v, Join(path, i.ToString()));
            else data[i] = v?.DeepClone();
        }
    }

    /// <summary>One flattened update key; a final <c>extend</c> on a list appends the given list's items.</summary>
    public static void UpdateMergeStringKey(JsonObject data, string key, JsonNode? value)
    {
        var parts = key.Split("__");
        var k = parts[^1];
        var parentKey = string.Join("__", parts[..^1]);
        JsonNode? current = data;
        var path = "";
        if (parentKey.Length > 0)
        {
            var (node, resolved) = Resolve(data, parentKey);
            current = node;
            path = string.Join("__", resolved);
        }
        switch (current)
        {
            case JsonObject obj:
                UpdateMergeDict(obj, new JsonObject { [k] = value?.DeepClone() }, path);
                break;
            case JsonArray list when k == "extend":
                if (value is not JsonArray items) throw new FlattenedKeyException($"Expected list for {parentKey}");
                foreach (var item in items) list.Add(item?.DeepClone());
                break;
            case JsonArray list:
                var index = IndexIn(list, k) ?? throw new FlattenedKeyException($"Unmatched key {Join(path, k)}");
                var here = Join(path, index.ToString());
                if (list[index] is JsonObject o) UpdateMergeDict(o, value, here);
                else if (list[index] is JsonArray a) UpdateMergeList(a, value, here);
                else list[index] = value?.DeepClone();
                break;
            default:
                throw new FlattenedKeyException($"Expected list or dict for {parentKey}");
        }
    }

    private static FlattenedKeyException Unmatched(List<object> path, string k) =>
        new($"Unmatched key {string.Join("__", path.Append(k))}");

    private static string Join(string path, string k) => path.Length == 0 ? k : path + "__" + k;
}
