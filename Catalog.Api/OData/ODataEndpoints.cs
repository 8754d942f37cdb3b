using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Catalog.Api.ActionApi;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.DataStore;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.OData;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.UriParser;

namespace Catalog.Api.OData;

/// <summary>
/// OData v4 over one resource's rows: <c>/odata/resources/{resource_id}/</c> (service document), <c>$metadata</c>
/// (built from the columns) and <c>Rows</c> with $filter, $select, $orderby, $top, $skip and $count, paged by key
/// with <c>@odata.nextLink</c>. Only for callers who may read the resource's dataset; errors in OData's format.
/// </summary>
public static class ODataEndpoints
{
    public const int PageSize = 1000;
    private const int MaxOptionLength = 4000;

    public static IEndpointRouteBuilder MapRowsOData(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/odata/resources/{resource_id}");
        group.MapGet("/", ServiceDocumentAsync);
        group.MapGet("/$metadata", MetadataAsync);
        group.MapGet("/Rows", RowsAsync);
        return app;
    }

    private static async Task<RowsModel?> ModelAsync(string resourceId, HttpContext http, CatalogDbContext db, IRowStore store)
    {
        var ct = http.RequestAborted;
        var resource = await db.Resources.AsNoTracking().Include(r => r.Package)
            .FirstOrDefaultAsync(r => r.Id == resourceId && r.State == ObjectState.Active, ct);
        if (resource?.Package is not { } package) return null;
        var caller = await CallerResolution.ResolveAsync(http);
        if (!await new Authorizer(caller, db, http.RequestServices.GetRequiredService<IOptions<CatalogOptions>>().Value.Auth).CanReadPackageAsync(package, ct)) return null;
        return await store.FindAsync(resource.Id, ct) is { } table ? new RowsModel(table) : null;
    }

    private static string ServiceRoot(HttpContext http, string resourceId) =>
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/odata/resources/{Uri.EscapeDataString(resourceId)}/";

    private static async Task ServiceDocumentAsync(string resource_id, HttpContext http, CatalogDbContext db, IRowStore store)
    {
        if (await ModelAsync(resource_id, http, db, store) is null) { await ErrorAsync(http, 404, "NotFound", "Resource not found."); return; }
        await JsonAsync(http, w =>
        {
            w.WriteString("@odata.context", ServiceRoot(http, resource_id) + "$metadata");
            w.WriteStartArray("value");
            w.WriteStartObject();
            w.WriteString("name", RowsModel.EntitySetName);
            w.WriteString("kind", "EntitySet");
            w.WriteString("url", RowsModel.EntitySetName);
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    private static async Task MetadataAsync(string resource_id, HttpContext http, CatalogDbContext db, IRowStore store)
    {
        if (await ModelAsync(resource_id, http, db, store) is not { } model) { await ErrorAsync(http, 404, "NotFound", "Resource not found."); return; }
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Encoding = Encoding.UTF8, Indent = true }))
            CsdlWriter.TryWriteCsdl(model.Model, xml, CsdlTarget.OData, out _);
        http.Response.Headers["OData-Version"] = "4.0";
        http.Response.ContentType = "application/xml; charset=utf-8";
        await http.Response.WriteAsync(text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\""), http.RequestAborted);
    }

    private static async Task RowsAsync(string resource_id, HttpContext http, CatalogDbContext db, IRowStore store)
    {
        if (await ModelAsync(resource_id, http, db, store) is not { } model) { await ErrorAsync(http, 404, "NotFound", "Resource not found."); return; }
        var options = http.Request.Query.Where(q => q.Key.StartsWith('$'))
            .ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        RowsQuery query;
        try
        {
            if (options.Values.Any(v => v.Length > MaxOptionLength)) throw new ODataException("A query option is too long.");
            query = RowsQuery.Parse(model, options);
        }
        catch (ODataException e) { await ErrorAsync(http, 400, "BadRequest", e.Message); return; }

        var ct = http.RequestAborted;
        RowPage page;
        long? count = null;
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            budget.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                if (query.Count)
                    count = (await store.SearchAsync(model.Table, query.Rows with { Limit = 0, Offset = 0, AfterId = null, IncludeTotal = true }, budget.Token)).Total;
                page = await store.SearchAsync(model.Table, query.Rows with { IncludeTotal = false }, budget.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or Microsoft.Data.Sqlite.SqliteException && !ct.IsCancellationRequested)
            {
                await ErrorAsync(http, 400, "BadRequest", "The query could not be answered in time.");
                return;
            }
        }

        var records = page.Records.Take(query.PageRows).ToList();
        var root = ServiceRoot(http, resource_id);
        string? next = null;
        if (page.Records.Count > query.PageRows) next = query.NextLink(root + RowsModel.EntitySetName, records[^1]);
        await JsonAsync(http, w =>
        {
            w.WriteString("@odata.context", root + "$metadata#" + RowsModel.EntitySetName + query.SelectSuffix);
            if (count is { } n) w.WriteNumber("@odata.count", n);
            w.WriteStartArray("value");
            foreach (var row in records)
            {
                w.WriteStartObject();
                for (var i = 0; i < query.Fields.Count; i++)
                {
                    var column = query.Fields[i];
                    w.WritePropertyName(column == RowColumns.IdColumn ? RowColumns.IdName : model.Names[column]);
                    WriteValue(w, row[i], column == RowColumns.IdColumn ? ColumnType.Int : model.Table.Columns[column].Type);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (next is not null) w.WriteString("@odata.nextLink", next);
        });
    }

    private static void WriteValue(Utf8JsonWriter w, object? value, ColumnType type)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case bool b: w.WriteBooleanValue(b); break;
            case string s when type == ColumnType.Timestamp: w.WriteStringValue(s + "Z"); break;
            default: w.WriteStringValue(value.ToString()); break;
        }
    }

    private static async Task JsonAsync(HttpContext http, Action<Utf8JsonWriter> write)
    {
        http.Response.Headers["OData-Version"] = "4.0";
        http.Response.ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8";
        await using var w = new Utf8JsonWriter(http.Response.Body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        write(w);
        w.WriteEndObject();
        await w.FlushAsync(http.RequestAborted);
    }

    private static async Task ErrorAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        await JsonAsync(http, w =>
        {
            w.WriteStartObject("error");
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
        });
    }
}

/// <summary>The query options of one request for rows, parsed by OData's own parser against the rows' model.</summary>
public sealed record RowsQuery(RowQuery Rows, IReadOnlyList<int> Fields, int PageRows, long? Top, long Skip, bool Ordered, string SelectSuffix,
    IReadOnlyDictionary<string, string> Options)
{
    public bool Count { get; init; }

    public static RowsQuery Parse(RowsModel model, Dictionary<string, string> options)
    {
        foreach (var key in options.Keys)
            if (key is not ("$filter" or "$select" or "$orderby" or "$top" or "$skip" or "$count" or "$skiptoken" or "$format"))
                throw new ODataException($"The query option {key} is not supported.");
        var parser = new ODataQueryOptionParser(model.Model, model.Row, model.Rows, options);
        var where = parser.ParseFilter() is { } filter ? new FilterTranslator(model).Translate(filter.Expression) : null;

        var fields = new List<int> { RowColumns.IdColumn };
        var suffix = "";
        if (parser.ParseSelectAndExpand() is { AllSelected: false } select)
        {
            var names = new List<string>();
            foreach (var item in select.SelectedItems)
            {
                if (item is not PathSelectItem { SelectedPath.FirstSegment: PropertySegment segment })
                    throw new ODataException("Only properties can be selected.");
                var column = model.Columns[segment.Property.Name];
                if (column != RowColumns.IdColumn && !fields.Contains(column)) fields.Add(column);
                names.Add(segment.Property.Name);
            }
            suffix = "(" + string.Join(",", names) + ")";
        }
        else fields.AddRange(Enumerable.Range(0, model.Table.Columns.Count));

        var sort = new List<(int, bool)>();
        for (var order = parser.ParseOrderBy(); order is not null; order = order.ThenBy)
        {
            var node = order.Expression is ConvertNode c ? c.Source : order.Expression;
            if (node is not SingleValuePropertyAccessNode p) throw new ODataException("Only properties can be ordered by.");
            sort.Add((model.Columns[p.Property.Name], order.Direction == OrderByDirection.Descending));
        }
        var ordered = sort.Count > 0;
        if (ordered) sort.Add((RowColumns.IdColumn, false));

        var top = parser.ParseTop();
        var skip = parser.ParseSkip() ?? 0;
        if (top < 0 || skip < 0) throw new ODataException("$top and $skip must not be negative.");
        long? after = null;
        if (parser.ParseSkipToken() is { Length: > 0 } token)
        {
            if (ordered || !long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                throw new ODataException("The $skiptoken is not valid.");
            after = id;
        }
        var pageRows = (int)Math.Min(top ?? ODataEndpoints.PageSize, ODataEndpoints.PageSize);
        return new RowsQuery(new RowQuery
        {
            Fields = fields, Where = where, Sort = sort, AfterId = after,
            Limit = pageRows + 1, Offset = skip, IncludeTotal = false,
        }, fields, pageRows, top, skip, ordered, suffix, options) { Count = parser.ParseCount() ?? false };
    }

    /// <summary>The next page: by key after the last row when rows are in key order, else by position.</summary>
    public string? NextLink(string rowsUrl, object?[] lastRow)
    {
        if (Top is { } top && top <= PageRows) return null;
        var next = new Dictionary<string, string>(Options, StringComparer.Ordinal);
        if (Top is { } t) next["$top"] = (t - PageRows).ToString(CultureInfo.InvariantCulture);
        if (Ordered) next["$skip"] = (Skip + PageRows).ToString(CultureInfo.InvariantCulture);
        else
        {
            next.Remove("$skip");
            next["$skiptoken"] = Convert.ToInt64(lastRow[0], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }
        return rowsUrl + "?" + string.Join("&", next.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value)));
    }
}
