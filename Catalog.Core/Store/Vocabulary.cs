using Catalog.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Store;

/// <summary>
/// A named, closed list of tags (CKAN's vocabulary), as ckanext-scheming uses for choices. Its tags are
/// <see cref="Tag"/> rows whose <see cref="Tag.VocabularyId"/> is this id.
/// </summary>
public sealed class Vocabulary : INamedEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
}

internal static class VocabularyModel
{
    public static void Configure(ModelBuilder b) => b.Entity<Vocabulary>(e =>
    {
        e.ToTable("vocabulary");
        e.HasIndex(v => v.Name).IsUnique();
        // Deleting a vocabulary deletes its tags (and, through package_tag, their place on datasets).
        e.HasMany<Tag>().WithOne().HasForeignKey(t => t.VocabularyId).OnDelete(DeleteBehavior.Cascade);
    });
}
