using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Catalog.Api.Dcat;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Exports;

/// <summary>
/// Writes the export bundle under <c>Catalog:Exports:Dir</c> (<c>{DataDir}/exports/</c>): every public dataset as ckanapi's <c>dump datasets</c>
/// writes them (one package dict a line), the DCAT catalog in Turtle and a CSV list for people who keep BODIK by
/// hand. Datasets come from package_search as an anonymous caller, so only what anyone may read is exported; each
/// file is written beside its place and renamed over it, so a reader never sees half a file.
/// </summary>
public sealed class ExportWriter(ActionDispatcher actions, DcatMapper mapper, IOptions<CatalogOptions> options, IOptions<ExportOptions> exportOptions,
    ILogger<ExportWriter> logger)
{
    private const int PageSize = 100;
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Writes the three files; returns the number of datasets exported. <paramref name="progress"/> gets plain lines.</summary>
    public async Task<int> RunAsync(Action<string>? progress = null, CancellationToken ct = default)
    {
        await OneAtATime.WaitAsync(ct);
        try
        {
            var datasets = await PublicDatasetsAsync(progress, ct);
            var dir = exportOptions.Value.Directory(options.Value);
            Directory.CreateDirectory(dir);

            await WriteAtomicallyAsync(dir, ExportFiles.DatasetsJsonl, w =>
            {
                foreach (var d in datasets) w.Write(SortKeys(d)!.ToJsonString(Compact) + "\n");
            }, ct);
            progress?.Invoke($"{ExportFiles.DatasetsJsonl}: {datasets.Count} datasets");

            var site = options.Value;
            var graph = new RdfGraph();
            mapper.AddCatalog(graph, site.SiteTitle, site.SiteDescription, site.LocaleDefault, datasets);
            var turtle = TurtleWriter.Write(graph);
            await WriteAtomicallyAsync(dir, ExportFiles.CatalogTurtle, w => w.Write(turtle), ct);
            progress?.Invoke($"{ExportFiles.CatalogTurtle}: {graph.Triples.Count} triples");

            await WriteAtomicallyAsync(dir, ExportFiles.DatasetsCsv, w => MetadataCsv.Write(w, datasets), ct, bom: true);
            progress?.Invoke($"{ExportFiles.DatasetsCsv}: {datasets.Count} rows");
            logger.LogInformation("Exported {Count} datasets to {Folder}", datasets.Count, dir);
            return datasets.Count;
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    /// <summary>Every dataset an anonymous caller can read, in id order (stable while paging).</summary>
    private async Task<List<JsonObject>> PublicDatasetsAsync(Action<string>? progress, CancellationToken ct)
    {
        var all = new List<JsonObject>();
        for (var start = 0; ; start += PageSize)
        {
            var page = await actions.InvokeAsync("package_search", Caller.Anonymous, new JsonObject
            {
                ["q"] = "*:*", ["rows"] = PageSize, ["start"] = start, ["sort"] = "id asc",
            }, ct: ct);
            var results = (page!["results"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (results.Count == 0) break;
            all.AddRange(results);
            progress?.Invoke($"read {all.Count} of {page["count"]} datasets");
        }
        return all;
    }

    private static async Task WriteAtomicallyAsync(string dir, string name, Action<TextWriter> write, CancellationToken ct, bool bom = false)
    {
        var temp = Path.Combine(dir, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            await using (var writer = new StreamWriter(stream, new UTF8Encoding(bom)))
            {
                write(writer);
                await writer.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, Path.Combine(dir, name), overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>ckanapi writes each record with its keys sorted; nested objects alike.</summary>
    private static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, SortKeys(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(SortKeys).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
