namespace Catalog.Core.TableValidation;

public enum Severity { Error, Warning }

/// <summary>
/// A rule the validator checks: our id, the Frictionless error type it reports as, its severity (errors block
/// publishing, warnings do not), a Japanese title, the 機械判読 rule it comes from (総務省/デジタル庁
/// 「機械判読可能なデータの表記方法」, ids as in digital-go-jp/machine_readability_rule) and the fix that repairs it.
/// </summary>
public sealed record TableRule(string Id, string Type, Severity Severity, string Title, string? Reference, string? Fix = null);

public static class TableRules
{
    public static readonly TableRule EncodingNotUtf8 = new("encoding-not-utf8", "encoding-error", Severity.Warning,
        "文字コードがUTF-8ではありません", "L3-08", TableFixes.Encoding);
    public static readonly TableRule EncodingError = new("encoding-error", "encoding-error", Severity.Error,
        "文字コードを判別できない（文字化け）", "L3-08");
    public static readonly TableRule TitleRow = new("header-not-first-row", "extra-label", Severity.Error,
        "見出し行が1行目にありません（表題の行）", "L3-01", TableFixes.StripTitleRows);
    public static readonly TableRule BlankHeader = new("blank-header", "blank-label", Severity.Error,
        "項目名が空欄です", "L1-05");
    public static readonly TableRule DuplicateHeader = new("duplicate-header", "duplicate-label", Severity.Error,
        "項目名が重複しています", "L2-03");
    public static readonly TableRule LegacyHeader = new("legacy-header", "incorrect-label", Severity.Warning,
        "旧様式（推奨データセット）の項目名です", null);
    public static readonly TableRule MissingColumn = new("missing-column", "missing-label", Severity.Error,
        "必須の項目（列）がありません", null);
    public static readonly TableRule FootnoteRow = new("footnote-row", "blank-row", Severity.Error,
        "表の中に注記の行があります", "L1-04", TableFixes.StripFootnoteRows);
    public static readonly TableRule BlankRow = new("blank-row", "blank-row", Severity.Warning,
        "空行があります", "L1-06");
    public static readonly TableRule MergedCell = new("merged-cell", "missing-cell", Severity.Error,
        "セル結合の名残か、上の行と同じ値の省略です", "L1-12");
    public static readonly TableRule Required = new("required", "constraint-error", Severity.Error,
        "必須の値がありません", null);
    public static readonly TableRule MultilineCell = new("multiline-cell", "type-error", Severity.Warning,
        "セルの中に改行があります", "L1-14");
    public static readonly TableRule MachineDependent = new("machine-dependent-character", "type-error", Severity.Warning,
        "機種依存文字が使われています", "L1-08");
    public static readonly TableRule WideDigits = new("full-width-digits", "type-error", Severity.Error,
        "全角数字が使われています", "L2-01", TableFixes.WideDigits);
    public static readonly TableRule NumberFormat = new("number-format", "type-error", Severity.Error,
        "数値に単位・桁区切り・記号が付いています", "L2-01");
    public static readonly TableRule Wareki = new("wareki-date", "type-error", Severity.Error,
        "和暦だけで西暦がありません", "L3-05", TableFixes.Wareki);
    public static readonly TableRule Type = new("type", "type-error", Severity.Error,
        "値の形式が正しくありません", null);
    public static readonly TableRule Flag = new("flag-value", "constraint-error", Severity.Error,
        "該当は「1」、非該当は空欄で表します", "L2-04");
    public static readonly TableRule Enum = new("enum", "constraint-error", Severity.Error,
        "決められた値のどれでもありません", "L2-04");
    public static readonly TableRule Pattern = new("pattern", "constraint-error", Severity.Error,
        "値の書き方が決まりに合いません", null);
    public static readonly TableRule CodeLeadingZero = new("lgcode-leading-zero", "constraint-error", Severity.Error,
        "全国地方公共団体コードの先頭の0が落ちています", "L3-06", TableFixes.LeadingZero);
    public static readonly TableRule CodeCheckDigit = new("lgcode-check-digit", "constraint-error", Severity.Error,
        "全国地方公共団体コードの検査数字がないか誤っています", "L3-06", TableFixes.LeadingZero);
    public static readonly TableRule CoordinateSwapped = new("lat-lon-swapped", "constraint-error", Severity.Error,
        "緯度と経度が入れ替わっています", null);
    public static readonly TableRule CoordinateOutside = new("coordinate-outside-japan", "constraint-error", Severity.Error,
        "緯度・経度が日本の範囲外です", null);
    public static readonly TableRule ListSeparator = new("list-separator", "constraint-error", Severity.Warning,
        "複数の値は半角セミコロン「;」で区切ります", "L1-07");
    public static readonly TableRule FileError = new("file-error", "source-error", Severity.Error,
        "表として読めないファイルです", "L1-01");
}
