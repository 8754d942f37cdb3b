using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// The names of the free tags (those of no vocabulary) on the active datasets the caller may read, sorted by name:
/// what tag_list and tag_autocomplete offer. A tag only private datasets carry stays unknown to outsiders.
/// </summary>
public interface ITagNames
{
    Task<IReadOnlyList<string>> VisibleAsync(ActionContext ctx);
}

/// <summary>From the store. Used when no search index is configured; the index's answer must equal this one.</summary>
public sealed class StoreTagNames : ITagNames
{
    public async Task<IReadOnlyList<string>> VisibleAsync(ActionContext ctx)
    {
        var names = await (await Tags.VisibleAsync(ctx, vocabulary: null)).Select(t => t.Name).ToListAsync(ctx.CancellationToken);
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
