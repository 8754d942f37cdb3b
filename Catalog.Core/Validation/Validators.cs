using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Catalog.Core.Validation;

/// <summary>The validators schemas are built from, with CKAN's messages.</summary>
public static partial class Validators
{
    public const string MissingValue = "Missing value";

    /// <summary>Absent or null: stop quietly, the key stays absent.</summary>
    public static readonly Validator IgnoreMissing = f => { if (f.Missing || f.Value is null) f.Drop(); };

    /// <summary>Absent, null or empty string: stop quietly.</summary>
    public static readonly Validator IgnoreEmpty = f => { if (f.Missing || IsEmpty(f.Value)) f.Drop(); };

    public static readonly Validator NotMissing = f => { if (f.Missing) f.Error(MissingValue); };

    public static readonly Validator NotEmpty = f => { if (f.Missing || IsEmpty(f.Value)) f.Error(MissingValue); };


    public static Validator Default(JsonNode? value) => f =>
    {
        if (f.Missing || f.Value is null || IsEmptyString(f.Value)) { f.Missing = false; f.Value = value?.DeepClone(); }
    };

    /// <summary>Text: numbers and booleans become their string form, lists and dicts are refused.</summary>
    public static readonly Validator UnicodeSafe = f =>
    {
        if (f.Value is null) return;
        if (f.Value is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.String) return;
            f.Value = JsonValue.Create(v.ToJsonString());
            return;
        }
        f.Error("Must be a string");
    };

    public static readonly Validator Strip = f =>
    {
        if (f.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String) f.Value = JsonValue.Create(v.GetValue<string>().Trim());
    };

    public static Validator MaxLength(int max) => f =>
    {
        if (AsString(f.Value) is { } s && s.Length > max) f.Error($"Must be no longer than {max} characters");
    };

    public static readonly Validator BooleanValue = f =>
    {
        if (f.Value is null) return;
        bool? parsed = f.Value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when f.Value.GetValue<decimal>() is 0 or 1 => f.Value.GetValue<decimal>() == 1,
            JsonValueKind.String => ParseBool(f.Value.GetValue<string>()),
            _ => null,
        };
        // CKAN reads anything unknown as false; refusing it is safer, since "private": "maybe" must not publish.
        if (parsed is null) f.Error("Must be a boolean: true or false");
        else f.Value = JsonValue.Create(parsed.Value);
    };

    public static readonly Validator Int = f =>
    {
        if (f.Value is null) return;
        // Read from the number's text: a value built in-process (an int from the UI or harvester) is not a long.
        if (f.Value.GetValueKind() == JsonValueKind.Number
            && long.TryParse(f.Value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) { f.Value = JsonValue.Create(n); return; }
        if (AsString(f.Value) is { } s && long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) { f.Value = JsonValue.Create(n); return; }
        f.Error("Invalid integer");
    };

    public static readonly Validator NaturalNumber = f =>
    {
        Int(f);
        if (!f.Stopped && f.Value is not null && f.Value.GetValue<long>() < 0) f.Error("Must be a natural number");
    };

    public static Validator OneOf(params string[] allowed) => f =>
    {
        if (AsString(f.Value) is { } s && !allowed.Contains(s)) f.Error($"Value must be one of {string.Join(", ", allowed)}");
    };

    [GeneratedRegex("^[a-z0-9_-]*$")] private static partial Regex NameChars();
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")] private static partial Regex EmailShape();
    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")] private static partial Regex UuidShape();

    /// <summary>CKAN's name rule for datasets, organizations, groups and users.</summary>
    public static readonly Validator Name = f =>
    {
        if (f.Value is null) return;
        if (f.Value.GetValueKind() != JsonValueKind.String) { f.Error("Names must be strings"); return; }
        var s = f.Value.GetValue<string>();
        if (s is "new" or "edit" or "search") f.Error("That name cannot be used");
        else if (s.Length < 2) f.Error("Must be at least 2 characters long");
        else if (s.Length > 100) f.Error($"Name \"{Truncate(s)}\" length is more than maximum 100");
        else if (!NameChars().IsMatch(s)) f.Error("Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_");
    };

    public static readonly Validator Email = f =>
    {
        if (AsString(f.Value) is { Length: > 0 } s && (s.Length > 254 || !EmailShape().IsMatch(s)))
            f.Error($"Email {Truncate(s)} is not a valid format");
    };

    public static readonly Validator TagName = f =>
    {
        if (AsString(f.Value) is { } s && TagRule.Problem(s) is { } problem) f.Error(problem);
    };

    public static readonly Validator PackageVersion = f =>
    {
        if (AsString(f.Value) is { Length: > 100 }) f.Error("Version must be a maximum of 100 characters long");
    };

    public static readonly Validator Uuid = f =>
    {
        if (AsString(f.Value) is { } s && !UuidShape().IsMatch(s)) f.Error("Must be a valid UUID");
        else if (f.Value is not null) f.Value = JsonValue.Create(AsString(f.Value)!.ToLowerInvariant());
    };

    public static readonly Validator IsoDate = f =>
    {
        if (AsString(f.Value) is not { } s) return;
        if (Timestamps.TryParse(s, out var dt)) f.Value = JsonValue.Create(Timestamps.Format(dt));
        else f.Error("Date format incorrect");
    };

    /// <summary>Anything JSON; dicts and lists become their JSON text (CKAN extras are strings).</summary>
    public static readonly Validator JsonText = f =>
    {
        if (f.Value is null) return;
        if (f.Value.GetValueKind() != JsonValueKind.String) f.Value = JsonValue.Create(f.Value.ToJsonString());
    };

    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool IsEmptyString(JsonNode? node) => AsString(node) is { } s && string.IsNullOrWhiteSpace(s);

    internal static bool IsEmpty(JsonNode? node) =>
        node is null || IsEmptyString(node) || node is JsonArray { Count: 0 } || node is JsonObject { Count: 0 };

    private static bool? ParseBool(string s) => s.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "t" or "y" or "1" or "on" => true,
        "false" or "no" or "f" or "n" or "0" or "off" or "" => false,
        _ => null,
    };

    /// <summary>A value shortened for a message, never cutting a surrogate pair in two.</summary>
    internal static string Truncate(string s) =>
        s.Length <= 60 ? s : s[..(char.IsHighSurrogate(s[59]) ? 59 : 60)] + "…";
}
