using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Catalog.Core.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catalog.Core.DataStore;

/// <summary>
/// CKAN's DataStore actions over the row store. Reads answer only for resources whose dataset the caller may read
/// (<see cref="Authorizer.CanReadPackageAsync"/>); writes need the right to edit the dataset. datastore_search_sql
/// answers only when <c>Catalog:DataStore:SqlSearch</c> is on, as CKAN's does, and only over resources the caller may read.
/// </summary>
public static class DataStoreActions
{
    public static ActionRegistry AddDataStoreActions(this ActionRegistry r) => r
        .Read("datastore_search", AuthRules.Anyone, Search,
            "Search a resource's rows.\n\n:param resource_id:\n:param q: (optional) text every row must contain, or {field: text}\n:param filters: (optional) {field: value or [values]}\n:param fields: (optional)\n:param sort: (optional) \"field [asc|desc], ...\"\n:param limit: (optional, default 100)\n:param offset: (optional)\n:param distinct: (optional)\n:param include_total: (optional, default true)\n:param records_format: (optional) objects, lists, csv or tsv")
        .Read("datastore_info", AuthRules.Anyone, Info,
            "Return a resource's DataStore columns, row count and the state of loading its file.\n\n:param id: the resource id")
        .Read("datastore_search_sql", AuthRules.Anyone, SearchSql,
            "Run one read-only SELECT over DataStore tables, each named by its resource id in double quotes (when enabled).\n\n:param sql:")
        .Write("datastore_create", EditResource, Create,
            "Create or replace a resource's rows, or add records to them.\n\n:param resource_id:\n:param fields: (optional) [{id, type}]; replaces the table\n:param records: (optional) [{field: value}]")
        .Write("datastore_upsert", EditResource, Upsert,
            "Add records to a resource's rows (method insert; the table has no primary key to update by).\n\n:param resource_id:\n:param records:\n:param method: (optional) insert")
        .Write("datastore_delete", EditResource, Delete,
            "Delete a resource's rows matching filters, or all of them and the table.\n\n:param resource_id:\n:param filters: (optional)")
        .Write("datastore_records_delete", EditResource, RecordsDelete,
            "Delete a resource's rows matching filters, never the table itself; {} deletes every row.\n\n:param resource_id:\n:param filters: {field: value or [values]}\n:returns: the filters sent")
        // Triggers and functions are PostgreSQL code run inside CKAN's DataStore database; rows here live in SQLite
        // tables of our own, which run no client code. CKAN lets only sysadmins call these (auth returns False).
        .Write("datastore_function_create", AuthRules.Sysadmin, TriggersNotSupported("datastore_function_create"),
            "Not supported here: the DataStore runs no trigger functions (CKAN keeps them in PostgreSQL). Sysadmins only; the answer is a Validation Error saying so.")
        .Write("datastore_function_delete", AuthRules.Sysadmin, TriggersNotSupported("datastore_function_delete"),
            "Not supported here: the DataStore runs no trigger functions (CKAN keeps them in PostgreSQL). Sysadmins only; the answer is a Validation Error saying so.")
        .Write("datastore_run_triggers", AuthRules.Sysadmin, TriggersNotSupported("datastore_run_triggers"),
            "Not supported here: the DataStore runs no triggers (CKAN keeps them in PostgreSQL). Sysadmins only; the answer is a Validation Error saying so.");

    private static ActionHandler TriggersNotSupported(string action) => (_, _) =>
        throw new ValidationException(new JsonObject
        {
            ["message"] = $"{action} is not supported here: this DataStore keeps rows in tables of its own and runs no triggers or trigger functions.",
        });

    private static string ResourceIdOf(JsonObject d) =>
        DataDict.String(d, "resource_id") ?? DataDict.String(d, "id") ?? throw ValidationException.For("resource_id", Validators.MissingValue);

    private static NotFoundException NotFound(string id) => new($"Resource \"{id}\" was not found.");

    private static async Task EditResource(ActionContext ctx, JsonObject d)
    {
        var (_, p) = await ResourceAsync(ctx, ResourceIdOf(d), tracked: false);
        if (!await ctx.Authz.HasPackagePermissionAsync(p, Roles.Permission.UpdateDataset, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"edit resource {ResourceIdOf(d)}");
    }

    private static async Task<(Resource, Package)> ResourceAsync(ActionContext ctx, string id, bool tracked)
    {
        var query = tracked ? ctx.Db.Resources : ctx.Db.Resources.AsNoTracking();
        var r = await query.Include(x => x.Package)
            .FirstOrDefaultAsync(x => x.Id == id && x.State == ObjectState.Active, ctx.CancellationToken);
        if (r?.Package is not { } p) throw NotFound(id);
        return (r, p);
    }

    /// <summary>The resource's rows, if the caller may read its dataset; refusals name only what was asked.</summary>
    private static async Task<(Resource, RowTable?)> ReadableAsync(ActionContext ctx, string id)
    {
        var (r, p) = await ResourceAsync(ctx, id, tracked: false);
        if (!await ctx.Authz.CanReadPackageAsync(p, ctx.CancellationToken))
            throw AuthRules.Denied(ctx, $"read resource {id}");
        return (r, await ctx.Get<IRowStore>().FindAsync(r.Id, ctx.CancellationToken));
    }

    private static async Task<JsonNode?> Search(ActionContext ctx, JsonObject d)
    {
        var id = ResourceIdOf(d);
        var (_, table) = await ReadableAsync(ctx, id);
        if (table is null) throw NotFound(id);
        var options = ctx.Get<IOptions<DataStoreOptions>>().Value;
        var request = SearchRequest.Read(d, table, options);
        RowPage page;
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(ctx.CancellationToken))
        {
            budget.CancelAfter(options.QueryTimeLimit);
            try { page = await ctx.Get<IRowStore>().SearchAsync(table, request.Query, budget.Token); }
            catch (Exception e) when (e is OperationCanceledException or Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 9 }
                                      && !ctx.CancellationToken.IsCancellationRequested)
            {
                throw new SearchException("the query took too long");
            }
        }

        var fields = request.Query.Fields.Select(f => FieldDict(table, f)).ToArray();
        var result = new JsonObject
        {
            ["include_total"] = request.Query.IncludeTotal,
            ["limit"] = request.Query.Limit,
            ["records_format"] = request.RecordsFormat,
            ["resource_id"] = table.ResourceId,
            ["total_estimation_threshold"] = null,
            ["records"] = Records(request, table, page.Records),
            ["fields"] = new JsonArray(fields),
        };
        foreach (var key in new[] { "q", "filters", "sort", "distinct" })
            if (d[key] is { } echoed) result[key] = echoed.DeepClone();
        if (request.Query.Offset > 0) result["offset"] = request.Query.Offset;
        result["_links"] = Links(table.ResourceId, request);
        if (page.Total is { } total)
        {
            result["total"] = total;
            result["total_was_estimated"] = false;
        }
        return result;
    }

    private const int MaxSqlLength = 10_000;

    private static readonly System.Text.RegularExpressions.Regex QuotedResourceId = new(
        "\"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\"",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static async Task<JsonNode?> SearchSql(ActionContext ctx, JsonObject d)
    {
        var options = ctx.Get<IOptions<DataStoreOptions>>().Value;
        if (!options.SqlSearch) throw new NotAuthorizedException("Searching the DataStore with SQL is not enabled on this site");
        var sql = (DataDict.String(d, "sql") ?? throw ValidationException.For("sql", Validators.MissingValue)).Trim();
        if (sql.Length > MaxSqlLength) throw ValidationException.For("sql", "The statement is too long");
        if (sql.EndsWith(';')) sql = sql[..^1].TrimEnd();
        // One statement only: a semicolon anywhere else is refused, even inside a literal.
        if (sql.Contains(';')) throw ValidationException.For("sql", "Only a single SELECT statement is allowed");
        var first = new string(sql.TakeWhile(char.IsLetter).ToArray());
        if (!first.Equals("SELECT", StringComparison.OrdinalIgnoreCase) && !first.Equals("WITH", StringComparison.OrdinalIgnoreCase))
            throw ValidationException.For("sql", "Only a single SELECT statement is allowed");

        var tables = new List<RowTable>();
        foreach (var id in QuotedResourceId.Matches(sql).Select(m => m.Groups[1].Value.ToLowerInvariant()).Distinct())
        {
            var (_, table) = await ReadableAsync(ctx, id);
            tables.Add(table ?? throw NotFound(id));
        }
        if (tables.Count == 0) throw ValidationException.For("sql", "Name at least one DataStore table, as \"<resource id>\"");

        SqlAnswer answer;
        try { answer = await ctx.Get<IRowStore>().SelectAsync(tables, sql, options.RowsMax, options.QueryTimeLimit, ctx.CancellationToken); }
        catch (RefusedSqlException e) { throw ValidationException.For("sql", e.Message); }
        catch (TimeoutException) { throw new SearchException("the query took too long"); }

        var result = new JsonObject
        {
            ["sql"] = sql,
            ["fields"] = new JsonArray(answer.Fields.Select(f => (JsonNode?)new JsonObject { ["id"] = f.Id, ["type"] = f.Type }).ToArray()),
            ["records"] = new JsonArray(answer.Records.Select(row =>
            {
                var o = new JsonObject();
                for (var i = 0; i < answer.Fields.Count; i++) o[answer.Fields[i].Id] = Value(row[i]);
                return (JsonNode?)o;
            }).ToArray()),
        };
        if (answer.Truncated) result["records_truncated"] = true;
        return result;
    }

    private static JsonNode FieldDict(RowTable table, int column) => column == RowColumns.IdColumn
        ? new JsonObject { ["id"] = RowColumns.IdName, ["type"] = "int" }
        : new JsonObject { ["id"] = table.Columns[column].Id, ["type"] = ColumnTypes.CkanName(table.Columns[column].Type) };

    private static JsonObject Links(string resourceId, SearchRequest request)
    {
        var start = "/api/3/action/datastore_search?resource_id=" + Uri.EscapeDataString(resourceId);
        if (request.LimitGiven) start += "&limit=" + request.Query.Limit.ToString(CultureInfo.InvariantCulture);
        var links = new JsonObject
        {
            ["start"] = start,
            ["next"] = start + "&offset=" + (request.Query.Offset + request.Query.Limit).ToString(CultureInfo.InvariantCulture),
        };
        if (request.Query.Offset > 0)
            links["prev"] = start + "&offset=" + Math.Max(0, request.Query.Offset - request.Query.Limit).ToString(CultureInfo.InvariantCulture);
        return links;
    }

    private static JsonNode Records(SearchRequest request, RowTable table, IReadOnlyList<object?[]> rows)
    {
        var names = request.Query.Fields.Select(f => f == RowColumns.IdColumn ? RowColumns.IdName : table.Columns[f].Id).ToArray();
        switch (request.RecordsFormat)
        {
            case "lists":
                return new JsonArray(rows.Select(row => (JsonNode?)new JsonArray(row.Select(Value).ToArray())).ToArray());
            case "csv":
            case "tsv":
                var text = new StringBuilder();
                var separator = request.RecordsFormat == "csv" ? ',' : '\t';
                foreach (var row in rows) DelimitedText.AppendLine(text, row.Select(DelimitedText.Text), separator);
                return JsonValue.Create(text.ToString());
            default:
                return new JsonArray(rows.Select(row =>
                {
                    var o = new JsonObject();
                    for (var i = 0; i < names.Length; i++) o[names[i]] = Value(row[i]);
                    return (JsonNode?)o;
                }).ToArray());
        }
    }

    internal static JsonNode? Value(object? v) => v switch
    {
        null => null,
        long l => JsonValue.Create(l),
        double x => JsonValue.Create(x),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        _ => JsonValue.Create(v.ToString()),
    };

    private static async Task<JsonNode?> Info(ActionContext ctx, JsonObject d)
    {
        var id = ResourceIdOf(d);
        var (r, table) = await ReadableAsync(ctx, id);
        var status = await ctx.Get<IRowStore>().StatusAsync(r.Id, ctx.CancellationToken);
        if (table is null && status is null) throw NotFound(id);
        var meta = new JsonObject
        {
            ["id"] = r.Id,
            ["count"] = table?.RowCount ?? 0,
            ["table_type"] = "BASE TABLE",
            ["datastore_active"] = table is not null,
            // Not CKAN's: whether q is answered by the rows' text index yet (built in the background after a load).
            ["text_index"] = table is not null && await ctx.Get<IRowStore>().HasTextIndexAsync(r.Id, ctx.CancellationToken),
        };
        if (status is not null)
            meta["ingestion"] = new JsonObject
            {
                ["state"] = status.State,
                ["error"] = status.Error,
                ["last_updated"] = Timestamps.Format(status.Updated),
            };
        var fields = table?.Columns.Select((c, i) => (JsonNode?)new JsonObject
        {
            ["id"] = c.Id, ["type"] = ColumnTypes.CkanName(c.Type),
            ["schema"] = new JsonObject { ["native_type"] = ColumnTypes.CkanName(c.Type), ["is_index"] = false },
        }).ToArray() ?? [];
        return new JsonObject { ["meta"] = meta, ["fields"] = new JsonArray(fields) };
    }

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var id = ResourceIdOf(d);
        var (r, p) = await ResourceAsync(ctx, id, tracked: true);
        var store = ctx.Get<IRowStore>();
        var table = await store.FindAsync(r.Id, ctx.CancellationToken);
        var recordsNode = d["records"] as JsonArray;
        if (d["fields"] is JsonArray fieldList)
        {
            var columns = ReadFields(fieldList, table);
            var planned = new RowTable(r.Id, columns, 0, ctx.Now);
            var rows = ReadRecords(planned, recordsNode);
            table = await store.ReplaceAsync(r.Id, columns, rows.ToAsyncEnumerable(), ctx.CancellationToken);
        }
        else if (table is null)
        {
            throw ValidationException.For("fields", "fields are required to create a table");
        }
        else if (recordsNode is not null)
        {
            await store.InsertAsync(table, ReadRecords(table, recordsNode), ctx.CancellationToken);
        }
        await MarkAsync(ctx, r, p, active: true);
        // CKAN's second pass of default views (what the DataPusher asks for once rows are in): a table, and a map
        // when the columns hold coordinates.
        await DefaultViews.AddAsync(ctx, r, table.Columns.Select(c => c.Id).ToList());
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        var result = new JsonObject
        {
            ["resource_id"] = r.Id,
            ["fields"] = new JsonArray(table.Columns.Select(c => (JsonNode?)new JsonObject { ["id"] = c.Id, ["type"] = ColumnTypes.CkanName(c.Type) }).ToArray()),
            ["method"] = "insert",
        };
        if (recordsNode is not null) result["records"] = recordsNode.DeepClone();
        return result;
    }

    private static async Task<JsonNode?> Upsert(ActionContext ctx, JsonObject d)
    {
        var id = ResourceIdOf(d);
        var method = DataDict.String(d, "method") ?? "upsert";
        if (method is not ("insert" or "upsert" or "update"))
            throw ValidationException.For("method", "Must be one of insert, upsert or update");
        if (method != "insert")
            throw ValidationException.For("method", $"The table has no primary key: {method} is not possible, use insert");
        var (r, _) = await ResourceAsync(ctx, id, tracked: false);
        var store = ctx.Get<IRowStore>();
        var table = await store.FindAsync(r.Id, ctx.CancellationToken) ?? throw NotFound(id);
        var records = d["records"] as JsonArray ?? throw ValidationException.For("records", Validators.MissingValue);
        await store.InsertAsync(table, ReadRecords(table, records), ctx.CancellationToken);
        return new JsonObject { ["resource_id"] = r.Id, ["method"] = method, ["records"] = records.DeepClone() };
    }

    private static async Task<JsonNode?> Delete(ActionContext ctx, JsonObject d)
    {
        var id = ResourceIdOf(d);
        var (r, p) = await ResourceAsync(ctx, id, tracked: true);
        var store = ctx.Get<IRowStore>();
        var table = await store.FindAsync(r.Id, ctx.CancellationToken) ?? throw NotFound(id);
        var filters = SearchRequest.Filters(d["filters"], table);
        await store.DeleteAsync(r.Id, filters, ctx.CancellationToken);
        if (filters.Count == 0) await MarkAsync(ctx, r, p, active: false);
        var result = new JsonObject { ["resource_id"] = r.Id };
        if (d["filters"] is { } f) result["filters"] = f.DeepClone();
        return result;
    }

    /// <summary>
    /// CKAN 2.11's datastore_delete that keeps the table: filters are required, and {} empties the table by swapping in
    /// an empty one of the same columns, so datastore_active stays on and readers see all rows or none.
    /// </summary>
    private static async Task<JsonNode?> RecordsDelete(ActionContext ctx, JsonObject d)
    {
        var id = ResourceIdOf(d);
        if (!d.ContainsKey("filters") || d["filters"] is null) throw ValidationException.For("filters", Validators.MissingValue);
        if (d["filters"] is not JsonObject given) throw ValidationException.For("filters", "Not a dict");
        var (r, _) = await ResourceAsync(ctx, id, tracked: false);
        var store = ctx.Get<IRowStore>();
        var table = await store.FindAsync(r.Id, ctx.CancellationToken) ?? throw NotFound(id);
        var filters = SearchRequest.Filters(given, table);
        if (filters.Count > 0) await store.DeleteAsync(r.Id, filters, ctx.CancellationToken);
        else await store.ReplaceAsync(r.Id, table.Columns, AsyncEnumerable.Empty<object?[]>(), ctx.CancellationToken);
        return new JsonObject { ["resource_id"] = r.Id, ["filters"] = given.DeepClone() };
    }

    /// <summary>
    /// datastore_active is part of the resource dict: set in the call's transaction and recorded in the feed, so the
    /// index follows; as in CKAN, the dataset's metadata_modified is left alone (the metadata did not change).
    /// </summary>
    private static async Task MarkAsync(ActionContext ctx, Resource r, Package p, bool active)
    {
        if (r.DatastoreActive == active) return;
        r.DatastoreActive = active;
        var loaded = await PackageLookup.FindAsync(ctx.Db, p.Id, ctx.CancellationToken) ?? p;
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        await ActivityLog.RecordPackageAsync(ctx, loaded, "changed package");
    }

    private static List<RowColumn> ReadFields(JsonArray fields, RowTable? existing)
    {
        var columns = new List<RowColumn>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { RowColumns.IdName };
        foreach (var node in fields)
        {
            if (node is not JsonObject f || DataDict.String(f, "id") is not { Length: > 0 } name)
                throw ValidationException.For("fields", "Each field needs an id");
            if (name.StartsWith('_') || !seen.Add(name))
                throw ValidationException.For("fields", $"\"{name}\" is not a valid field name");
            var typeName = DataDict.String(f, "type");
            var type = ColumnTypes.FromCkanName(typeName) ?? throw ValidationException.For("fields", $"invalid type \"{typeName}\"");
            if (typeName is null && existing?.Columns.FirstOrDefault(c => c.Id == name) is { } kept) type = kept.Type;
            columns.Add(new RowColumn(name, type));
        }
        return columns;
    }

    private static List<object?[]> ReadRecords(RowTable table, JsonArray? records)
    {
        var rows = new List<object?[]>();
        if (records is null) return rows;
        var index = table.Columns.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var n = 0;
        foreach (var node in records)
        {
            n++;
            if (node is not JsonObject record) throw ValidationException.For("records", $"row {n} is not an object");
            var row = new object?[table.Columns.Count];
            foreach (var (key, value) in record)
            {
                if (!index.TryGetValue(key, out var i)) throw ValidationException.For("records", $"row {n} has a field \"{key}\" not in the table");
                if (!SearchRequest.TryValue(value, table.Columns[i].Type, out row[i]))
                    throw ValidationException.For("records", $"row {n}: the value of \"{key}\" is not of type {ColumnTypes.CkanName(table.Columns[i].Type)}");
            }
            rows.Add(row);
        }
        return rows;
    }
}
