using System.Text;
using Catalog.Core.TableValidation;

namespace Catalog.Tests.TableValidation;

/// <summary>
/// The validator on files shaped like the standard datasets departments publish: for each standard schema the valid
/// file passes and each broken variant gives exactly the findings expected (row, column, rule), no more.
/// </summary>
public sealed class TableValidatorTests
{
    public static IEnumerable<string> SchemaIds => StandardSchemas.All.Select(s => s.Id);

    private static StandardSchema Standard(string id) => StandardSchemas.Find(id)!;

    private static List<(int? Row, string? Field, string Rule)> Findings(byte[] file, StandardSchema s) =>
        TableValidator.Validate(file, "test.csv", s.Schema).Findings
            .Select(f => (f.RowNumber, f.FieldName, f.Rule.Id)).OrderBy(f => f.RowNumber).ThenBy(f => f.FieldName).ThenBy(f => f.Id).ToList();

    private static void AssertFindings(byte[] file, StandardSchema s, params (int? Row, string? Field, string Rule)[] expected)
    {
        var actual = Findings(file, s);
        var wanted = expected.OrderBy(f => f.Row).ThenBy(f => f.Field).ThenBy(f => f.Rule).ToList();
        Assert.That(actual, Is.EqualTo(wanted), string.Join("\n", TableValidator.Validate(file, "test.csv", s.Schema).Findings.Select(f => f.Message)));
    }

    /// <summary>The name column every standard has (名称, or イベント名 for events) and its kana.</summary>
    private static (string Name, string Kana) NameColumns(StandardSchema s) =>
        s.Id == "event" ? ("イベント名", "イベント名_カナ") : ("名称", "名称_カナ");

    [Test]
    public void Seven_standard_schemas_are_embedded_with_titles_and_tags()
    {
        Assert.That(SchemaIds, Is.EquivalentTo(new[] { "aed", "public-facility", "evacuation-space", "evacuation-shelter", "cultural-property", "tourism-facility", "event" }));
        Assert.That(Standard("aed").TitleJa, Is.EqualTo("AED設置箇所一覧"));
        Assert.That(Standard("aed").Tag, Is.EqualTo("AED設置箇所"));
        Assert.That(StandardSchemas.All.All(s => s.Schema.Fields[0].Name == "全国地方公共団体コード"));
    }

    [TestCaseSource(nameof(SchemaIds))]
    public void Valid_file_passes(string id)
    {
        var s = Standard(id);
        var report = TableValidator.Validate(new StandardTable(s).Utf8(), "ok.csv", s.Schema);
        Assert.That(report.Findings.Select(f => f.Message), Is.Empty);
        Assert.That(report.Valid);
        Assert.That(report.DataRows, Is.EqualTo(2));
    }

    [TestCaseSource(nameof(SchemaIds))]
    public void Shift_jis_with_a_title_row_is_reported_as_encoding_and_header_position(string id)
    {
        var s = Standard(id);
        var t = new StandardTable(s);
        t.Above.Add($"{s.TitleJa}（令和6年4月1日現在）");
        AssertFindings(t.ShiftJis(), s, (null, null, "encoding-not-utf8"), (1, null, "header-not-first-row"));
    }

    [TestCaseSource(nameof(SchemaIds))]
    public void Codes_without_leading_zero_or_check_digit_are_found(string id)
    {
        var s = Standard(id);
        var t = new StandardTable(s).Set(1, "全国地方公共団体コード", "24000").Set(0, "所在地_全国地方公共団体コード", "92011")
            .Set(0, "全国地方公共団体コード", "240002");
        AssertFindings(t.Utf8(), s,
            (2, "全国地方公共団体コード", "lgcode-check-digit"), (2, "所在地_全国地方公共団体コード", "lgcode-leading-zero"),
            (3, "全国地方公共団体コード", "lgcode-check-digit"));
    }

    [TestCaseSource(nameof(SchemaIds))]
    public void Swapped_coordinates_units_and_full_width_digits_are_found(string id)
    {
        var s = Standard(id);
        var t = new StandardTable(s).Set(0, "緯度", "136.508588").Set(0, "経度", "34.730283")
            .Set(1, "緯度", "34.73度").Set(1, "経度", "１３６.５０８５８８");
        AssertFindings(t.Utf8(), s, (2, "緯度", "lat-lon-swapped"), (3, "緯度", "number-format"), (3, "経度", "full-width-digits"));
    }

    [TestCaseSource(nameof(SchemaIds))]
    public void Footnote_rows_and_merged_cell_leftovers_are_found(string id)
    {
        var s = Standard(id);
        var (name, kana) = NameColumns(s);
        var t = new StandardTable(s).Set(1, name, "").Set(1, kana, "");
        t.Below.Add("※令和6年4月1日現在");
        t.Below.Add("出典：三重県防災対策部" + new string(',', t.Header.Count - 1));
        AssertFindings(t.Utf8(), s, (3, name, "merged-cell"), (3, kana, "merged-cell"), (4, null, "footnote-row"), (5, null, "footnote-row"));
    }

    [TestCaseSource(nameof(SchemaIds))]
    public void Missing_required_column_blank_and_duplicate_headers_are_found(string id)
    {
        var s = Standard(id);
        var (_, kana) = NameColumns(s);
        var t = new StandardTable(s).Drop(kana);
        t.Header[t.Header.IndexOf("URL")] = "";
        t.Header[t.Header.IndexOf("地方公共団体名")] = "ID";
        var blank = t.Header.IndexOf("") + 1;
        var found = TableValidator.Validate(t.Utf8(), "t.csv", s.Schema).Findings;
        AssertFindings(t.Utf8(), s, (1, kana, "missing-column"), (1, null, "blank-header"), (1, "ID", "duplicate-header"));
        Assert.That(found.Single(f => f.Rule.Id == "blank-header").FieldNumber, Is.EqualTo(blank));
    }

    private static readonly Dictionary<string, (string Column, string Value, string Rule)> OwnRule = new()
    {
        ["aed"] = ("小児対応設備の有無", "あり", "enum"),
        ["public-facility"] = ("バリアフリー情報", "車椅子用トイレ、スロープ", "list-separator"),
        ["evacuation-space"] = ("災害種別_洪水", "○", "flag-value"),
        ["evacuation-shelter"] = ("福祉避難所", "○", "flag-value"),
        ["cultural-property"] = ("文化財指定日", "平成29年11月28日", "wareki-date"),
        ["tourism-facility"] = ("料金(基本)", "1,000円", "number-format"),
        ["event"] = ("開始日", "令和8年4月18日", "wareki-date"),
    };

    [TestCaseSource(nameof(SchemaIds))]
    public void Each_standard_checks_its_own_columns(string id)
    {
        var s = Standard(id);
        var (column, value, rule) = OwnRule[id];
        var phone = s.Schema.Fields.Any(f => f.Name == "電話番号") ? "電話番号" : "連絡先電話番号";
        var t = new StandardTable(s).Set(1, column, value).Set(0, phone, "059(224)3070");
        AssertFindings(t.Utf8(), s, (3, column, rule), (2, phone, "pattern"));
    }

    [Test]
    public void Legacy_v1_headers_are_accepted_with_a_warning()
    {
        var s = Standard("aed");
        var t = new StandardTable(s);
        t.Header[t.Header.IndexOf("所在地_連結表記")] = "住所";
        var report = TableValidator.Validate(t.Utf8(), "v1.csv", s.Schema);
        Assert.That(report.Findings.Select(f => (f.RowNumber, f.FieldName, f.Rule.Id)), Is.EqualTo(new[] { ((int?)1, (string?)"住所", "legacy-header") }));
        Assert.That(report.Valid, "warnings do not make a file invalid");
    }

    [Test]
    public void Without_a_schema_the_general_rules_apply()
    {
        var csv = "避難所一覧\r\n地区,名称,開設日,収容人数\r\n一身田,津市体育館,令和6年4月1日,800\r\n,一身田小学校,2024-04-01,300\r\n白塚,白塚小学校,2024-04-01,②\r\n\r\n※令和6年4月1日現在\r\n";
        var report = TableValidator.Validate(Encoding.UTF8.GetBytes(csv), "list.csv", null);
        Assert.That(report.Findings.Select(f => (f.RowNumber, f.FieldName, f.Rule.Id)), Is.EquivalentTo(new (int?, string?, string)[]
        {
            (1, null, "header-not-first-row"), (3, "開設日", "wareki-date"), (4, "地区", "merged-cell"),
            (5, "収容人数", "machine-dependent-character"), (6, null, "blank-row"), (7, null, "footnote-row"),
        }));
    }

    [Test]
    public void Report_has_frictionless_shape_with_rule_severity_and_japanese_messages()
    {
        var s = Standard("evacuation-space");
        var t = new StandardTable(s).Set(0, "災害種別_津波", "○");
        var json = TableValidator.Validate(t.ShiftJis(), "hinan.csv", s.Schema).ToJson();
        Assert.That(json["valid"]!.GetValue<bool>(), Is.False);
        Assert.That(json["stats"]!["errors"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(json["stats"]!["warnings"]!.GetValue<int>(), Is.EqualTo(1));
        var task = json["tasks"]![0]!;
        Assert.That(task["encoding"]!.GetValue<string>(), Is.EqualTo("shift_jis"));
        Assert.That(task["stats"]!["rows"]!.GetValue<int>(), Is.EqualTo(2));
        var error = task["errors"]!.AsArray().Single(e => e!["rule"]!.GetValue<string>() == "flag-value")!;
        Assert.Multiple(() =>
        {
            Assert.That(error["type"]!.GetValue<string>(), Is.EqualTo("constraint-error"));
            Assert.That(error["rowNumber"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(error["fieldName"]!.GetValue<string>(), Is.EqualTo("災害種別_津波"));
            Assert.That(error["fieldNumber"]!.GetValue<int>(), Is.EqualTo(s.Schema.Fields.ToList().FindIndex(f => f.Name == "災害種別_津波") + 1));
            Assert.That(error["severity"]!.GetValue<string>(), Is.EqualTo("error"));
            Assert.That(error["message"]!.GetValue<string>(), Does.Contain("該当は「1」"));
        });
        var warning = task["errors"]!.AsArray().Single(e => e!["rule"]!.GetValue<string>() == "encoding-not-utf8")!;
        Assert.That(warning["severity"]!.GetValue<string>(), Is.EqualTo("warning"));
        Assert.That(warning["fix"]!.GetValue<string>(), Is.EqualTo("encoding"));
    }

    [Test]
    public void Undecodable_bytes_and_empty_files_are_errors_not_exceptions()
    {
        var garbage = new byte[] { 0x41, 0x2C, 0x42, 0x0A, 0x81, 0x0A, 0x43, 0x2C, 0x44 };
        Assert.That(TableValidator.Validate(garbage, "x.csv", null).Findings.Select(f => f.Rule.Id), Does.Contain("encoding-error"));
        Assert.That(TableValidator.Validate([], "x.csv", Standard("aed").Schema).Findings.Select(f => f.Rule.Id), Is.EqualTo(new[] { "file-error" }));
    }

    [Test]
    public void Wareki_reads_eras_first_years_and_abbreviations()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Wareki.TryParse("令和元年5月1日", out var a) ? a : default, Is.EqualTo(new DateOnly(2019, 5, 1)));
            Assert.That(Wareki.TryParse("H31.4.30", out var b) ? b : default, Is.EqualTo(new DateOnly(2019, 4, 30)));
            Assert.That(Wareki.TryParse("昭和６４年１月７日", out var c) ? c : default, Is.EqualTo(new DateOnly(1989, 1, 7)));
            Assert.That(Wareki.TryParse("令和5年2月30日", out _), Is.False);
            Assert.That(Wareki.TryParse("2023-04-01", out _), Is.False);
        });
    }

    [Test]
    public void A_file_beyond_the_limit_is_checked_on_its_first_whole_lines()
    {
        var s = Standard("aed");
        var t = new StandardTable(s);
        var row = string.Join(",", t.Rows[0]) + "\r\n";
        var sb = new StringBuilder(string.Join(",", t.Header)).Append("\r\n");
        while (sb.Length < TableValidator.MaxBytes + 100_000) sb.Append(row);
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        Assert.That(bytes.Length, Is.GreaterThan(TableValidator.MaxBytes));
        var report = TableValidator.Validate(bytes, "big.csv", s.Schema);
        Assert.That(report.Findings.Select(f => f.Message), Is.Empty, "cut at a line end: nothing is half a character or half a row");
        Assert.That(report.Partial);
        Assert.That(report.Bytes, Is.EqualTo(bytes.Length));
        Assert.That(report.ToJson()["tasks"]![0]!["warnings"]![0]!.GetValue<string>(), Does.Contain("32MB"));
    }
}
