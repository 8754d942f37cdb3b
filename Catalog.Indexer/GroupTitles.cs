using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Indexer;

/// <summary>
/// Titles of organizations and groups by name, for facet display names, kept in memory: there are few of them and
/// every faceted search needs them. Forgotten when the change feed reports an organization or group change, and
/// re-read when a name is not known yet.
/// </summary>
public sealed class GroupTitles(IServiceScopeFactory scopes)
{
    private volatile Dictionary<string, string>? _titles;

    public async Task<IReadOnlyDictionary<string, string>> ForAsync(IEnumerable<string> names, CancellationToken ct)
    {
        var titles = _titles ?? await LoadAsync(ct);
        if (names.Any(n => !titles.ContainsKey(n))) titles = await LoadAsync(ct);
        return titles;
    }

    public void Forget() => _titles = null;

    private async Task<Dictionary<string, string>> LoadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var titles = await db.Groups.AsNoTracking().ToDictionaryAsync(g => g.Name, g => g.Title, StringComparer.Ordinal, ct);
        _titles = titles;
        return titles;
    }
}
