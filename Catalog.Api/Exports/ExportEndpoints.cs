using Catalog.Core;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Exports;

/// <summary>The export bundle: <see cref="ExportWriter"/> on a schedule and <c>/exports/{file}</c>.</summary>
public static class ExportEndpoints
{
    public static IServiceCollection AddCatalogExports(this IServiceCollection services, IConfiguration configuration, bool runSchedule)
    {
        services.AddOptions<ExportOptions>().Bind(configuration.GetSection(ExportOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ExportWriter>();
        if (runSchedule) services.AddHostedService<ExportSchedule>();
        return services;
    }

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/exports/{file}", Serve);
        return app;
    }

    /// <summary>Only the fixed file names; the path is built from the list, never from the request.</summary>
    private static IResult Serve(string file, IOptions<CatalogOptions> options, IOptions<ExportOptions> exports)
    {
        if (!ExportFiles.ContentTypes.TryGetValue(file, out var contentType))
            return Results.Content("Not found", "text/plain;charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        var known = ExportFiles.ContentTypes.Keys.First(k => k == file);
        var path = Path.Combine(exports.Value.Directory(options.Value), known);
        if (!File.Exists(path))
            return Results.Content("Not exported yet", "text/plain;charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        return Results.File(path, contentType, fileDownloadName: known, lastModified: File.GetLastWriteTimeUtc(path),
            enableRangeProcessing: true);
    }
}
