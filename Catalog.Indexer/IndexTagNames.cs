using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Indexer.Querying;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Indexer;

/// <summary>
/// Visible free-tag names from the index: one facet count over the datasets the caller may read, remembered by the
/// result cache until the next write, so each keystroke of tag_autocomplete only filters a list. Inside a write the
/// store answers (<see cref="IndexPackageCounter"/> explains why).
/// </summary>
public sealed class IndexTagNames(Searcher searcher) : ITagNames
{
    private static readonly StoreTagNames Store = new();

    public async Task<IReadOnlyList<string>> VisibleAsync(ActionContext ctx)
    {
        if (ctx.Db.Database.CurrentTransaction is not null) return await Store.VisibleAsync(ctx);
        var found = searcher.Search(new SearchRequest
        {
            Rows = 0, FacetFields = [IndexFields.Tags], FacetLimit = -1, FacetMinCount = 1,
            Visibility = await ReadableVisibility.ForAsync(ctx),
        });
        var names = (found.Facets.GetValueOrDefault(IndexFields.Tags) ?? []).Select(v => v.Name).ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
