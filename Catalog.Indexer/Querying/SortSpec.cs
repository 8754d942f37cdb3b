using Catalog.Core.Dispatch;
using Lucene.Net.Search;

namespace Catalog.Indexer.Querying;

/// <summary>CKAN's <c>sort</c>: comma-separated <c>field asc|desc</c> over the sortable fields.</summary>
public static class SortSpec
{
    public const string Default = "score desc, metadata_modified desc";

    /// <summary>score and the five fields below.</summary>
    private const int SortableFields = 6;

    public static Sort Parse(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec) || spec.Trim() == "rank") spec = Default;
        var fields = new List<SortField>();
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries))
        {
            // Each field compared for every match: one sort per sortable field is all a sort can use.
            if (fields.Count == SortableFields) throw Invalid();
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 2 || words[1] is not ("asc" or "desc")) throw Invalid();
            var descending = words[1] == "desc";
            fields.Add(words[0] switch
            {
                // Relevance sorts high-first by nature, so "asc" is the reversed one.
                "score" => new SortField(null, SortFieldType.SCORE, !descending),
                // Dates are sorted doc values of big-endian ticks (DatasetDocument.DateBytes), ordered as the dates.
                IndexFields.MetadataModified or IndexFields.MetadataCreated or IndexFields.Name or IndexFields.TitleString or IndexFields.Id
                    => new SortField(words[0], SortFieldType.STRING, descending),
                _ => throw Invalid(),
            });
        }
        return new Sort([.. fields]);
    }

    private static SearchQueryException Invalid() => new("Invalid \"sort\" parameter");
}
