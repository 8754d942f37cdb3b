using Catalog.Core.Dispatch;

namespace Catalog.Indexer;

/// <summary>
/// The fields of a dataset's index document: CKAN's Solr field names (reference §4.2, §7), so <c>fq</c> and
/// <c>q</c> written for CKAN work unchanged, plus a few analysed twins used only by free-text search.
/// </summary>
public static class IndexFields
{
    public const string Id = "id";
    public const string Name = "name";
    public const string Title = "title";

    /// <summary>Readings (katakana) of the title and the tags, when an analyser gives them (<see cref="Analysis.Readings"/>).</summary>
    public const string Reading = "reading";
    public const string Notes = "notes";

    /// <summary>
    /// Whole katakana words of the title, tags, groups, notes and resource names, unanalysed
    /// (<see cref="Analysis.KatakanaWords"/>): what a mistyped loanword is compared with, never searched directly.
    /// </summary>
    public const string KanaWords = "kana_words";
    public const string Tags = "tags";
    public const string Groups = "groups";
    public const string Organization = "organization";
    public const string OwnerOrg = "owner_org";
    public const string ResFormat = "res_format";
    public const string ResName = "res_name";
    public const string ResDescription = "res_description";
    public const string ResUrl = "res_url";
    public const string ResType = "res_type";
    public const string LicenseId = "license_id";
    public const string MetadataCreated = "metadata_created";
    public const string MetadataModified = "metadata_modified";
    public const string State = "state";
    public const string Capacity = "capacity";
    public const string DatasetType = "dataset_type";
    public const string TitleString = "title_string";
    public const string Text = "text";
    public const string PermissionLabels = "permission_labels";
    public const string SiteId = "site_id";
    public const string Url = "url";
    public const string Author = "author";
    public const string Maintainer = "maintainer";
    public const string Version = "version";
    public const string CreatorUserId = "creator_user_id";
    public const string ExtrasPrefix = "extras_";

    /// <summary>The dataset's CKAN dict as package_show returned it when indexed: what results are made of.</summary>
    public const string DataDict = "data_dict";

    /// <summary>Ids of the dataset's groups, so a changed or deleted group finds the documents that name it (and package_count counts by id).</summary>
    public const string GroupIds = "group_ids";

    // Analysed twins of exact fields, for free-text search (CKAN's dismax matches them only whole).
    public const string NameText = "name_text";
    public const string TagsText = "tags_text";
    public const string GroupsText = "groups_text";

    public const string SiteIdValue = "default";

    /// <summary>Fields analysed as Japanese text; every other field matches exact, case-sensitive values.</summary>
    public static bool IsText(string field) => field is Title or Notes or Text or ResName or ResDescription
        or Author or Maintainer or NameText or TagsText or GroupsText or Reading || field.StartsWith(ExtrasPrefix, StringComparison.Ordinal);

    public static bool IsDate(string field) => field is MetadataCreated or MetadataModified;

    /// <summary>
    /// Analysed fields whose every value is also in <see cref="Text"/>, analysed alike (<see cref="DatasetDocument"/>
    /// keeps it so): whatever matches in one of them matches in <c>text</c> too.
    /// </summary>
    public static bool IsCopiedIntoText(string field) =>
        field is NameText or Title or TagsText or GroupsText or Notes or ResName or ResDescription or Author or Maintainer;

    /// <summary>What CKAN's dismax <c>qf</c> names map to: exact fields are searched through their analysed twin.</summary>
    public static string FreeTextField(string field) => field switch
    {
        Name => NameText,
        Tags => TagsText,
        Groups => GroupsText,
        _ => field,
    };
}
