using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Core.Store;

/// <summary>
/// The store from a long-lived service (a job runner, a loader): each piece of work gets a context of its own scope,
/// so no context outlives its work or is shared between concurrent ones.
/// </summary>
public static class ScopedDb
{
    public static async Task<T> WithDbAsync<T>(this IServiceScopeFactory scopes, Func<CatalogDbContext, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }
}
