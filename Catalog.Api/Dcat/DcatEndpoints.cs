using System.Globalization;
using System.Text.Json.Nodes;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Validation;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Dcat;

/// <summary>
/// ckanext-dcat's endpoints (docs/ckan-api §6.1): <c>/catalog.{fmt}</c>, paged with Hydra, and
/// <c>/dataset/{id}.{fmt}</c>. Both read through package_search / package_show as an anonymous caller, so Core's
/// visibility rule decides, and a private dataset is as absent here as anywhere else public.
/// </summary>
public static class DcatEndpoints
{
    public const int PerPage = 100;
    private const string Formats = "^(ttl|rdf|xml|jsonld)$";

    public static IServiceCollection AddCatalogDcat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DcatOptions>().Bind(configuration.GetSection(DcatOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new DcatMapper(sp.GetRequiredService<SiteUrls>().Base,
            sp.GetRequiredService<IOptions<DcatOptions>>().Value, MetadataSchema.Default));
        return services;
    }

    public static IEndpointRouteBuilder MapDcat(this IEndpointRouteBuilder app)
    {
        app.MapGet($"/catalog.{{format:regex({Formats})}}", CatalogAsync);
        app.MapGet($"/dataset/{{id}}.{{format:regex({Formats})}}", DatasetAsync);
        return app;
    }

    /// <summary>One page of the catalog, built as ckanext-dcat builds it, newest change first (id breaks ties).</summary>
    public static async Task<IResult> CatalogAsync(string format, HttpContext http, ActionDispatcher actions,
        DcatMapper mapper, IOptions<CatalogOptions> site, SiteUrls urls)
    {
        var query = http.Request.Query;
        var page = 1;
        if (query["page"].Count > 0 && (!int.TryParse(query["page"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
            return Conflict("'page' parameter must be a positive integer");
        if ((long)(page - 1) * PerPage > int.MaxValue - PerPage) return Conflict("'page' parameter is too large");
        var fq = new List<string>();
        if (query["fq"].ToString() is { Length: > 0 } userFq) fq.Add(userFq);
        if (query["modified_since"].ToString() is { Length: > 0 } since)
        {
            if (DcatMapper.Date(since) is not { } when) return Conflict("'modified_since' parameter is not a valid date");
            fq.Add($"metadata_modified:[{when.Value.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z TO *]");
        }
        var search = new JsonObject
        {
            ["q"] = query["q"].ToString() is { Length: > 0 } q ? q : "*:*",
            ["rows"] = PerPage,
            ["start"] = (page - 1) * PerPage,
            ["sort"] = "metadata_modified desc, id asc",
        };
        if (fq.Count > 0) search["fq"] = string.Join(" AND ", fq.Select(c => $"({c})"));

        JsonNode? result;
        try
        {
            result = await actions.InvokeAsync("package_search", Caller.Anonymous, search, ct: http.RequestAborted);
        }
        catch (ActionException e)
        {
            return Conflict(e is ValidationException v ? $"Invalid search parameters: {v.Errors.ToJsonString()}" : e.Message);
        }
        var count = result!["count"]!.GetValue<int>();
        var datasets = (result["results"] as JsonArray ?? []).OfType<JsonObject>().ToList();

        var g = new RdfGraph();
        var options = site.Value;
        mapper.AddCatalog(g, options.SiteTitle, options.SiteDescription, options.LocaleDefault, datasets);
        if (count > 0) DcatMapper.AddPaging(g, p => PageUrl(urls.Base, http.Request.Path, query, p), page, count, PerPage);
        return Serialise(g, format);
    }

    public static async Task<IResult> DatasetAsync(string id, string format, HttpContext http, ActionDispatcher actions, DcatMapper mapper)
    {
        JsonNode? dataset;
        try
        {
            dataset = await actions.InvokeAsync("package_show", Caller.Anonymous, new JsonObject { ["id"] = id }, ct: http.RequestAborted);
        }
        // Private and missing look alike: the feed is public and tells nobody which private names exist.
        catch (ActionException e) when (e is NotFoundException or NotAuthorizedException or ValidationException)
        {
            return Results.Content("Not found", "text/plain;charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }
        var g = new RdfGraph();
        mapper.AddDataset(g, dataset!.AsObject());
        return Serialise(g, format);
    }

    /// <summary>ckanext-dcat: the catalog URI (never the request's host) plus the path, q, fq, modified_since and page.</summary>
    private static string PageUrl(string siteBase, PathString path, IQueryCollection query, int page)
    {
        var parts = new List<string>();
        foreach (var key in new[] { "q", "fq", "modified_since" })
            if (query[key].ToString() is { Length: > 0 } v) parts.Add($"{key}={Uri.EscapeDataString(v)}");
        parts.Add($"page={page.ToString(CultureInfo.InvariantCulture)}");
        return $"{siteBase}{path}?{string.Join('&', parts)}";
    }

    private static IResult Serialise(RdfGraph g, string format) => format switch
    {
        "ttl" => Results.Text(TurtleWriter.Write(g), TurtleWriter.MediaType + ";charset=utf-8"),
        "jsonld" => Results.Text(JsonLdWriter.Write(g), JsonLdWriter.MediaType + ";charset=utf-8"),
        _ => Results.Text(RdfXmlWriter.Write(g), RdfXmlWriter.MediaType + ";charset=utf-8"),
    };

    private static IResult Conflict(string message) =>
        Results.Content(message, "text/plain;charset=utf-8", statusCode: StatusCodes.Status409Conflict);
}
