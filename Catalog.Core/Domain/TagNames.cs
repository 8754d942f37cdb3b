using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

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
        var names = await (await VisibleTags.QueryAsync(ctx, vocabulary: null)).Select(t => t.Name).ToListAsync(ctx.CancellationToken);
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}

public static class VisibleTags
{
    /// <summary>Tags of a vocabulary (free tags when null) on the active datasets the caller may read.</summary>
    public static async Task<IQueryable<Tag>> QueryAsync(ActionContext ctx, string? vocabulary)
    {
        var visible = await Visibility.ReadableActiveAsync(ctx);
        return ctx.Db.Tags.AsNoTracking()
            .Where(t => vocabulary == null ? t.VocabularyId == null : t.VocabularyId == vocabulary)
            .Where(t => visible.Any(p => p.Tags.Any(pt => pt.TagId == t.Id)));
    }
}
