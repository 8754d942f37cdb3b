using System.Text.Json.Nodes;

namespace Catalog.Core.TableValidation;

/// <summary>One problem found: where (row and column, 1-based as Frictionless counts them) and which rule.</summary>
public sealed record TableFinding(TableRule Rule, string Message, int? RowNumber = null, string? FieldName = null,
    int? FieldNumber = null, string? Cell = null);

/// <summary>What validating one file found, and how the file was read (the fixes start from it).</summary>
public sealed class TableReport
{
    /// <summary>Beyond this many findings the report stops listing them, as Frictionless's limit_errors does.</summary>
    public const int MaxFindings = 1000;

    public required string FileName { get; init; }
    public required long Bytes { get; init; }
    public required string Sha256 { get; init; }
    public required TextEncoding Encoding { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required int DataRows { get; init; }
    public required IReadOnlyList<TableFinding> Findings { get; init; }
    public bool Truncated { get; init; }
    /// <summary>Only the first <see cref="TableValidator.MaxBytes"/> bytes were checked.</summary>
    public bool Partial { get; init; }
    public string? SchemaName { get; init; }
    public TimeSpan Elapsed { get; init; }

    public int ErrorCount => Findings.Count(f => f.Rule.Severity == Severity.Error);
    public int WarningCount => Findings.Count(f => f.Rule.Severity == Severity.Warning);
    public bool Valid => ErrorCount == 0;

    /// <summary>The fixes that would repair some finding of this report.</summary>
    public IEnumerable<string> AvailableFixes => Findings.Select(f => f.Rule.Fix).OfType<string>().Distinct();

    /// <summary>The report in Frictionless's JSON shape (v5: valid, stats, tasks[].errors[]), plus rule and severity.</summary>
    public JsonObject ToJson()
    {
        var errors = new JsonArray();
        foreach (var f in Findings)
        {
            var e = new JsonObject
            {
                ["type"] = f.Rule.Type,
                ["title"] = f.Rule.Title,
                ["message"] = f.Message,
                ["rule"] = f.Rule.Id,
                ["severity"] = f.Rule.Severity == Severity.Error ? "error" : "warning",
                ["tags"] = new JsonArray(Tags(f).Select(t => (JsonNode?)t).ToArray()),
                ["note"] = f.Rule.Reference is { } r ? $"機械判読可能なデータの表記方法 {r}" : "",
            };
            if (f.RowNumber is { } row) e["rowNumber"] = row;
            if (f.FieldName is { } name) e["fieldName"] = name;
            if (f.FieldNumber is { } number) e["fieldNumber"] = number;
            if (f.Cell is { } cell) e["cell"] = cell;
            if (f.Rule.Fix is { } fix) e["fix"] = fix;
            errors.Add(e);
        }
        var task = new JsonObject
        {
            ["name"] = FileName,
            ["type"] = "table",
            ["place"] = FileName,
            ["valid"] = Valid,
            ["labels"] = new JsonArray(Labels.Select(l => (JsonNode?)l).ToArray()),
            ["encoding"] = CsvText.EncodingName(Encoding),
            ["stats"] = new JsonObject
            {
                ["errors"] = ErrorCount, ["warnings"] = WarningCount, ["rows"] = DataRows, ["fields"] = Labels.Count,
                ["bytes"] = Bytes, ["hash"] = Sha256, ["seconds"] = Math.Round(Elapsed.TotalSeconds, 3),
            },
            ["warnings"] = new JsonArray(Notes().Select(n => (JsonNode?)n).ToArray()),
            ["errors"] = errors,
        };
        if (SchemaName is not null) task["schema"] = SchemaName;
        return new JsonObject
        {
            ["valid"] = Valid,
            ["stats"] = new JsonObject { ["errors"] = ErrorCount, ["warnings"] = WarningCount, ["tasks"] = 1, ["seconds"] = Math.Round(Elapsed.TotalSeconds, 3) },
            ["warnings"] = new JsonArray(),
            ["errors"] = new JsonArray(),
            ["tasks"] = new JsonArray(task),
        };
    }

    private IEnumerable<string> Notes()
    {
        if (Truncated) yield return $"{MaxFindings}件を超えたため、以降の問題は省略しました";
        if (Partial) yield return $"ファイルが大きいため、先頭の{TableValidator.MaxBytes / 1024 / 1024}MBだけを検証しました";
    }

    private static IEnumerable<string> Tags(TableFinding f)
    {
        yield return "#table";
        if (f.RowNumber is not null) yield return "#row";
        if (f.FieldName is not null) yield return f.RowNumber is null ? "#header" : "#cell";
    }
}
