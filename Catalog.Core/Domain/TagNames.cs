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
    /// <summary>
    /// Free tags (<paramref name="vocabulary"/> null) on the active datasets the caller may read; or the tags of a
    /// vocabulary (its id): those on such datasets and those on no dataset at all (put there by a sysadmin through
    /// vocabulary_create/update or tag_create). A vocabulary tag that only unreadable datasets carry stays unknown.
    /// </summary>
    public static async Task<IQueryable<Tag>> QueryAsync(ActionContext ctx, string? vocabulary)
    {
        var visible = await Visibility.ReadableActiveAsync(ctx);
        var tags = ctx.Db.Tags.AsNoTracking();
        if (vocabulary is null)
            return tags.Where(t => t.VocabularyId == null && visible.Any(p => p.Tags.Any(pt => pt.TagId == t.Id)));
        return tags.Where(t => t.VocabularyId == vocabulary
            && (!ctx.Db.PackageTags.Any(pt => pt.TagId == t.Id) || visible.Any(p => p.Tags.Any(pt => pt.TagId == t.Id))));
    }

    /// <summary>Whether the caller may know of this tag (the rule of <see cref="QueryAsync"/> for one tag).</summary>
    public static async Task<bool> IsVisibleAsync(ActionContext ctx, Tag tag) =>
        await (await QueryAsync(ctx, tag.VocabularyId)).AnyAsync(t => t.Id == tag.Id, ctx.CancellationToken);
}
