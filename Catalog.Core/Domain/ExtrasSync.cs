using System.Text.Json.Nodes;
using Catalog.Core.Store;
using Catalog.Core.Validation;

namespace Catalog.Core.Domain;

/// <summary>Makes a dataset's or group's extras rows match the validated <c>extras</c> list: the given list replaces them.</summary>
internal static class ExtrasSync
{
    /// <summary>
    /// Rows whose key is gone are removed, kept keys get the new value, new keys get a row from <paramref name="create"/>.
    /// Rows are updated in place rather than replaced, so the store sees changes instead of delete-and-insert.
    /// </summary>
    public static void Apply<T>(List<T> rows, JsonObject d, Func<string, string, T> create) where T : IExtra
    {
        // Duplicate keys were refused by ExtrasRules, so the list maps one to one onto a dictionary.
        var wanted = (d["extras"] as JsonArray)?.OfType<JsonObject>()
            .ToDictionary(e => Validators.AsString(e["key"])!, e => Validators.AsString(e["value"]) ?? "", StringComparer.Ordinal) ?? [];
        rows.RemoveAll(e => !wanted.ContainsKey(e.Key));
        foreach (var (key, value) in wanted)
        {
            var existing = rows.FirstOrDefault(e => e.Key == key);
            if (existing is null) rows.Add(create(key, value));
            else existing.Value = value;
        }
    }
}
