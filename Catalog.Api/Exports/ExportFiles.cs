namespace Catalog.Api.Exports;

/// <summary>The files of the export bundle: a fixed list, the only names <c>/exports/{file}</c> serves.</summary>
public static class ExportFiles
{
    public const string Folder = "exports";
    public const string DatasetsJsonl = "datasets.jsonl";
    public const string CatalogTurtle = "catalog.ttl";
    public const string DatasetsCsv = "datasets.csv";

    public static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DatasetsJsonl] = "application/jsonl; charset=utf-8",
        [CatalogTurtle] = "text/turtle; charset=utf-8",
        [DatasetsCsv] = "text/csv; charset=utf-8",
    };
}
