namespace Catalog.Core.TableValidation;

/// <summary>A mechanical fix the catalog can apply to a table, with its labels.</summary>
public sealed record TableFix(string Id, string LabelJa, string LabelEn);

/// <summary>The mechanical fixes, by id (the ids resource_table_fix takes).</summary>
public static class TableFixes
{
    public const string Encoding = "encoding";
    public const string StripTitleRows = "strip-title-rows";
    public const string StripFootnoteRows = "strip-footnote-rows";
    public const string WideDigits = "full-width-digits";
    public const string Wareki = "wareki";
    public const string LeadingZero = "lgcode";

    public static readonly IReadOnlyList<TableFix> All =
    [
        new(Encoding, "文字コードをUTF-8にする（Shift_JIS等から変換）", "Convert the encoding to UTF-8 (from Shift_JIS etc.)"),
        new(StripTitleRows, "見出しより上の表題の行を削除する", "Remove the title rows above the header"),
        new(StripFootnoteRows, "表の中と下の注記の行を削除する", "Remove the footnote rows"),
        new(WideDigits, "全角数字を半角にする", "Turn full-width digits into ASCII digits"),
        new(Wareki, "和暦の日付を西暦（YYYY-MM-DD）にする", "Rewrite Japanese-era dates as YYYY-MM-DD"),
        new(LeadingZero, "全国地方公共団体コードの先頭の0と検査数字を補う", "Restore the leading zero and check digit of local government codes"),
    ];

    public static TableFix? Find(string id) => All.FirstOrDefault(f => f.Id == id);
}
