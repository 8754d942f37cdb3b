using Catalog.Api.ActionApi;
using Catalog.Core.Actions;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Catalog.Indexer;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using System.Diagnostics.Metrics;

namespace Catalog.Api.Health;

/// <summary>
/// What a load balancer and a metrics collector ask of a node: <c>/health/live</c> (the process answers),
/// <c>/health/ready</c> (the store is reachable and this node's index is caught up), and the request counter.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Configuration key of how many changes the index may be behind the store for the node to be ready.</summary>
    public const string MaxIndexLagKey = "Catalog:Health:MaxIndexLag";

    private const string Ready = "ready";

    public static IServiceCollection AddCatalogHealth(this IServiceCollection services, IConfiguration configuration)
    {
        var maxLag = configuration.GetValue(MaxIndexLagKey, 100L);
        if (maxLag < 0) throw new InvalidOperationException($"{MaxIndexLagKey} must be 0 or more, not {maxLag}");
        services.AddSingleton(new IndexHealthLimit(maxLag));
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [Ready])
            .AddCheck<IndexHealthCheck>("search_index", tags: [Ready]);
        services.AddSingleton<RequestMetrics>();
        return services;
    }

    public static WebApplication MapCatalogHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) });
        return app;
    }

    /// <summary>Counts action API calls by action and status; after routing, so the endpoint is known.</summary>
    public static WebApplication UseRequestMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<RequestMetrics>();
        app.Use(async (http, next) =>
        {
            await next(http);
            if (http.GetEndpoint()?.Metadata.GetMetadata<ActionApiEndpoint>() is not null)
                metrics.Called(http.GetRouteValue("name") as string, http.Response.StatusCode);
        });
        return app;
    }
}

/// <summary>The store answers a query.</summary>
public sealed class StoreHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        return await db.Database.CanConnectAsync(ct)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The store cannot be reached");
    }
}

public sealed record IndexHealthLimit(long MaxLag);

/// <summary>This node's index is at most <see cref="IndexHealthLimit.MaxLag"/> changes behind the store's feed, read now.</summary>
public sealed class IndexHealthCheck(IServiceScopeFactory scopes, SearchIndex index, IndexHealthLimit limit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var store = await db.Activities.MaxAsync(a => (long?)a.Seq, ct) ?? 0;
        var lag = store - Math.Max(index.AppliedSeq, 0);
        var data = new Dictionary<string, object> { ["applied_seq"] = index.AppliedSeq, ["store_seq"] = store, ["lag"] = lag };
        return lag <= limit.MaxLag
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy($"The search index is {lag} changes behind the store", data: data);
    }
}

/// <summary>
/// The <c>Catalog.Api</c> meter's <c>catalog.requests</c>: action API calls by action and status code. Names not in
/// the registry count as <c>unknown</c>, so a client cannot grow the set of series.
/// </summary>
public sealed class RequestMetrics(IMeterFactory meters, ActionDispatcher dispatcher)
{
    public const string MeterName = "Catalog.Api";

    private readonly Counter<long> _requests = meters.Create(MeterName).CreateCounter<long>("catalog.requests", "{request}", "Action API calls");

    public void Called(string? action, int status) => _requests.Add(1,
        new KeyValuePair<string, object?>("action", action is not null && dispatcher.Registry.Find(action) is not null ? action : "unknown"),
        new KeyValuePair<string, object?>("status", status));
}
