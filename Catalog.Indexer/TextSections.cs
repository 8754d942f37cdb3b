namespace Catalog.Indexer;

/// <summary>
/// The catch-all <c>text</c> field holds, after everything else, a section for each of these fields' values: their
/// text is indexed once, in <c>text</c>, and a search on the field itself (<c>notes:避難</c>) is a search of
/// <c>text</c> within the field's section (<see cref="Querying.SectionQueries"/>). Where a section starts is the
/// position of the field's name in <see cref="IndexFields.Sections"/> (a field of its own, so that no pattern on
/// <c>text</c> ever matches a marker); a section ends where the next one starts. They are the long and rarely
/// fielded values: indexed a second time under their own names, they were a third of all the tokens a rebuild
/// inverts. Fields searched by CKAN's dismax (title, name, tags, groups) keep fields of their own, whose lengths score.
/// </summary>
public static class TextSections
{
    /// <summary>The sectioned fields, in the order of their sections; section i + 1 is <c>Fields[i]</c>.</summary>
    public static readonly IReadOnlyList<string> Fields =
        [IndexFields.Notes, IndexFields.ResName, IndexFields.ResDescription, IndexFields.Author, IndexFields.Maintainer];

    /// <summary>The section of a field (1 and up), or 0 when the field has none (its text is in the general part).</summary>
    public static int Of(string field)
    {
        for (var i = 0; i < Fields.Count; i++)
            if (Fields[i] == field) return i + 1;
        return 0;
    }

    public static bool IsSectioned(string field) => Of(field) > 0;
}
