using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Domain;

/// <summary>CKAN's Tag.get and Vocabulary.get, written once for tag_show, tag_delete and the vocabulary actions.</summary>
public static class TagLookup
{
    public static Task<Vocabulary?> VocabularyAsync(CatalogDbContext db, string idOrName, CancellationToken ct) =>
        db.Vocabularies.Named(idOrName).FirstOrDefaultAsync(ct);

    /// <summary>
    /// With a vocabulary (id or name): the tag of that name in it, or null when either is unknown. Without one: the tag
    /// of that id, else the free tag of that name.
    /// </summary>
    public static async Task<Tag?> FindAsync(CatalogDbContext db, string idOrName, string? vocabularyIdOrName, CancellationToken ct)
    {
        if (vocabularyIdOrName is { Length: > 0 })
        {
            var vocabulary = await VocabularyAsync(db, vocabularyIdOrName, ct);
            return vocabulary is null ? null
                : await db.Tags.FirstOrDefaultAsync(t => t.Name == idOrName && t.VocabularyId == vocabulary.Id, ct);
        }
        return await db.Tags.FirstOrDefaultAsync(t => t.Id == idOrName, ct)
            ?? await db.Tags.FirstOrDefaultAsync(t => t.Name == idOrName && t.VocabularyId == null, ct);
    }
}
