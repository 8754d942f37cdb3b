using System.Text.Json.Nodes;

namespace Catalog.Core.Validation;

/// <summary>The state of one field while its validators run (CKAN's navl: each validator may convert, complain or stop).</summary>
public sealed class FieldContext
{
    public required string Key { get; init; }
    public JsonNode? Value { get; set; }
    /// <summary>The key was absent from the input (or a validator removed it).</summary>
    public bool Missing { get; set; }
    public List<string> Errors { get; } = [];
    public bool Stopped { get; private set; }

    public void Stop() => Stopped = true;
    public void Error(string message) { Errors.Add(message); Stopped = true; }
    public void Drop() { Missing = true; Value = null; Stopped = true; }
}

public delegate void Validator(FieldContext field);

public sealed record ValidationResult(JsonObject Data, JsonObject Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// A validation schema as data: per key a chain of validators, and per list key the schema of its items.
/// Unknown keys are dropped unless <see cref="KeepExtraKeys"/> (CKAN keeps them on resources only).
/// </summary>
public sealed class Schema
{
    private readonly List<(string Key, Validator[] Chain)> _fields = [];
    private readonly List<(string Key, Schema Item, Validator[] Chain, bool FlattenErrors)> _lists = [];
    private readonly List<Action<JsonObject, JsonObject>> _checks = [];

    public bool KeepExtraKeys { get; init; }

    public IEnumerable<string> Keys => _fields.Select(f => f.Key).Concat(_lists.Select(l => l.Key));

    public Schema Field(string key, params Validator[] chain) { _fields.Add((key, chain)); return this; }

    /// <summary>A list of objects, each checked with <paramref name="item"/>; the chain runs on the list first.</summary>
    public Schema List(string key, Schema item, Validator[] chain, bool flattenErrors = false)
    {
        _lists.Add((key, item, chain, flattenErrors));
        return this;
    }

    /// <summary>A check across keys, run on the input after the fields; it adds to the errors (CKAN's __after).</summary>
    public Schema Check(Action<JsonObject, JsonObject> check) { _checks.Add(check); return this; }

    /// <summary>A copy of this schema with some field chains replaced (update schemas derive from create ones).</summary>
    public Schema With(string key, params Validator[] chain)
    {
        var copy = new Schema { KeepExtraKeys = KeepExtraKeys };
        foreach (var (k, c) in _fields) copy._fields.Add((k, k == key ? chain : c));
        copy._lists.AddRange(_lists);
        copy._checks.AddRange(_checks);
        if (!_fields.Any(f => f.Key == key)) copy._fields.Add((key, chain));
        return copy;
    }

    public ValidationResult Validate(JsonObject input)
    {
        var data = new JsonObject();
        var errors = new JsonObject();

        foreach (var (key, chain) in _fields)
        {
            var field = RunChain(key, input, chain);
            if (field.Errors.Count > 0) errors[key] = ToArray(field.Errors);
            else if (!field.Missing) data[key] = field.Value?.DeepClone();
        }

        foreach (var (key, item, chain, flatten) in _lists)
        {
            var field = RunChain(key, input, chain);
            if (field.Errors.Count > 0) { errors[key] = ToArray(field.Errors); continue; }
            if (field.Missing) continue;
            if (field.Value is not JsonArray array)
            {
                errors[key] = new JsonArray("Must be a list");
                continue;
            }
            var cleanItems = new JsonArray();
            var itemErrors = new JsonArray();
            var anyError = false;
            var flatErrors = new List<string>();
            foreach (var element in array)
            {
                if (element is not JsonObject obj)
                {
                    anyError = true;
                    itemErrors.Add(new JsonObject { ["__type"] = "Must be a dict" });
                    flatErrors.Add("Must be a dict");
                    continue;
                }
                var result = item.Validate(obj);
                cleanItems.Add(result.Data);
                itemErrors.Add(result.Errors);
                if (!result.IsValid)
                {
                    anyError = true;
                    foreach (var (_, v) in result.Errors)
                        if (v is JsonArray msgs) flatErrors.AddRange(msgs.Select(m => m!.GetValue<string>()));
                }
            }
            if (anyError) errors[key] = flatten ? ToArray(flatErrors) : itemErrors;
            else data[key] = cleanItems;
        }

        foreach (var check in _checks) check(input, errors);

        if (KeepExtraKeys)
        {
            var known = Keys.ToHashSet();
            foreach (var (key, value) in input)
                if (!known.Contains(key) && !key.StartsWith("__", StringComparison.Ordinal))
                    data[key] = value?.DeepClone();
        }

        return new ValidationResult(data, errors);
    }

    private static FieldContext RunChain(string key, JsonObject input, Validator[] chain)
    {
        var present = input.TryGetPropertyValue(key, out var value);
        var field = new FieldContext { Key = key, Value = value?.DeepClone(), Missing = !present };
        foreach (var validator in chain)
        {
            validator(field);
            if (field.Stopped) break;
        }
        return field;
    }

    private static JsonArray ToArray(IEnumerable<string> messages) => new(messages.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray());
}
