namespace Catalog.Indexer;

/// <summary>
/// The catch-all <c>text</c> field holds, after everything else, a section for each of these fields' values: their
/// text is indexed once, in <c>text</c>, and a search on the field itself (<c>notes:避難</c>) is a search of
/// <c>text</c> within the field's section (<see cref="Querying.SectionQueries"/>). A section is found by its marker: a
/// term no analysis produces, at the position of the section's first token (and not counted in the field's length,
/// so scores are as before); a section ends where the next one starts. They are the long and rarely fielded values:
/// indexed a second time under their own names, they were a third of all the tokens a rebuild inverts. Fields
/// searched by CKAN's dismax (title, name, tags, groups) keep fields of their own, whose lengths score.
/// </summary>
public static class TextSections
{
    /// <summary>The sectioned fields, in the order of their sections; section i + 1 is <c>Fields[i]</c>.</summary>
    public static readonly IReadOnlyList<string> Fields =
        [IndexFields.Notes, IndexFields.ResName, IndexFields.ResDescription, IndexFields.Author, IndexFields.Maintainer];

    private static readonly string[] Markers = Fields.Select(f => "\u0001" + f).ToArray();

    /// <summary>The section of a field (1 and up), or 0 when the field has none (its text is in the general part).</summary>
    public static int Of(string field)
    {
        for (var i = 0; i < Fields.Count; i++)
            if (Fields[i] == field) return i + 1;
        return 0;
    }

    public static bool IsSectioned(string field) => Of(field) > 0;

    /// <summary>The term in <c>text</c> marking where a section starts (a control character: no analysis produces one).</summary>
    public static string Marker(int section) => Markers[section - 1];
}
