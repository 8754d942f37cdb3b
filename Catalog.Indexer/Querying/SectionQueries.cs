using Lucene.Net.Search;

namespace Catalog.Indexer.Querying;

/// <summary>
/// Fielded queries on notes, res_name, res_description, author and maintainer search those fields themselves (each
/// is indexed in its own field as well as in <c>text</c>), so a query needs no conversion any more. Kept only because
/// <see cref="DismaxQueryBuilder"/> still calls it; remove it with that call.
/// </summary>
public static class SectionQueries
{
    public static Query Rewrite(Query query, SearchBudget? budget = null) => query;
}
