namespace Catalog.Core.Domain;

/// <summary>An entity CKAN lets callers name either by its id or by its name.</summary>
public interface INamedEntity
{
    string Id { get; }
    string Name { get; }
}

/// <summary>CKAN's "id or name" reference, written once: every action accepts either.</summary>
public static class ByIdOrName
{
    public static IQueryable<T> Named<T>(this IQueryable<T> query, string idOrName) where T : class, INamedEntity =>
        query.Where(x => x.Id == idOrName || x.Name == idOrName);
}
