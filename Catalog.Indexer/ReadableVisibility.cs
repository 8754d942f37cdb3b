using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Indexer.Querying;

namespace Catalog.Indexer;

/// <summary>
/// The index's form of <see cref="Visibility.ReadableActiveAsync"/>: active datasets the caller may read, no drafts.
/// Lists and counts built from it (package_count, tag names) equal the store's.
/// </summary>
public static class ReadableVisibility
{
    public static async Task<SearchVisibility> ForAsync(ActionContext ctx) =>
        SearchVisibility.For(await ctx.Authz.ReaderAsync(ctx.CancellationToken), includePrivate: true, includeDrafts: false);
}
