using System.Text;
using System.Text.Json;
using Catalog.Api.ActionApi;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.DataStore;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catalog.Api.DataStore;

/// <summary>
/// CKAN's <c>/datastore/dump/{resource_id}</c>: a resource's rows as CSV, TSV or JSON, streamed page by page, for
/// callers who may read its dataset.
/// </summary>
public static class DataStoreEndpoints
{
    public static IEndpointRouteBuilder MapDataStore(this IEndpointRouteBuilder app)
    {
        app.MapGet("/datastore/dump/{resource_id}", DumpAsync);
        return app;
    }

    private static async Task DumpAsync(string resource_id, string? format, string? bom, HttpContext http,
        CatalogDbContext db, IRowStore store)
    {
        var ct = http.RequestAborted;
        var resource = await db.Resources.AsNoTracking().Include(r => r.Package)
            .FirstOrDefaultAsync(r => r.Id == resource_id && r.State == ObjectState.Active, ct);
        var caller = await CallerResolution.ResolveAsync(http);
        if (resource?.Package is not { } package || !await new Authorizer(caller, db, http.RequestServices.GetRequiredService<IOptions<CatalogOptions>>().Value.Auth).CanReadPackageAsync(package, ct)
            || await store.FindAsync(resource.Id, ct) is not { } table)
        {
            await Plain(http, StatusCodes.Status404NotFound, "Resource not found");
            return;
        }
        format = (format ?? "csv").ToLowerInvariant();
        if (format is not ("csv" or "tsv" or "json"))
        {
            await Plain(http, StatusCodes.Status400BadRequest, "format must be csv, tsv or json");
            return;
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.ContentType = format switch
        {
            "json" => "application/json; charset=utf-8",
            "tsv" => "text/tab-separated-values; charset=utf-8",
            _ => "text/csv; charset=utf-8",
        };
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{table.ResourceId}.{format}\"";
        var names = new[] { RowColumns.IdName }.Concat(table.Columns.Select(c => c.Id)).ToArray();
        var body = http.Response.Body;
        if (string.Equals(bom, "true", StringComparison.OrdinalIgnoreCase)) await body.WriteAsync(Encoding.UTF8.GetPreamble(), ct);

        if (format == "json")
        {
            await using var json = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            json.WriteStartObject();
            json.WriteStartArray("fields");
            json.WriteStartObject(); json.WriteString("id", RowColumns.IdName); json.WriteString("type", "int"); json.WriteEndObject();
            foreach (var c in table.Columns)
            {
                json.WriteStartObject(); json.WriteString("id", c.Id); json.WriteString("type", ColumnTypes.CkanName(c.Type)); json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("records");
            await foreach (var row in store.ReadAllAsync(table, ct))
            {
                json.WriteStartArray();
                foreach (var v in row)
                    switch (v)
                    {
                        case null: json.WriteNullValue(); break;
                        case long l: json.WriteNumberValue(l); break;
                        case double d: json.WriteNumberValue(d); break;
                        case bool b: json.WriteBooleanValue(b); break;
                        default: json.WriteStringValue(v.ToString()); break;
                    }
                json.WriteEndArray();
                if (json.BytesPending > 32 * 1024) await json.FlushAsync(ct);
            }
            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(ct);
            return;
        }

        var separator = format == "tsv" ? '\t' : ',';
        var text = new StringBuilder();
        DelimitedText.AppendLine(text, names, separator);
        await foreach (var row in store.ReadAllAsync(table, ct))
        {
            DelimitedText.AppendLine(text, row.Select(DelimitedText.Text), separator);
            if (text.Length > 32 * 1024) await Flush();
        }
        await Flush();

        async Task Flush()
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), ct);
            text.Clear();
        }
    }

    private static async Task Plain(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message, http.RequestAborted);
    }
}
