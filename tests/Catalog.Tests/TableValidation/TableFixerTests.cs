using System.Text;
using Catalog.Core.TableValidation;

namespace Catalog.Tests.TableValidation;

/// <summary>The mechanical fixes, each on the defect it repairs: the fixed file passes where only those defects were.</summary>
public sealed class TableFixerTests
{
    private static readonly StandardSchema Aed = StandardSchemas.Find("aed")!;

    private static StandardTable Broken()
    {
        var t = new StandardTable(Aed)
            .Set(0, "全国地方公共団体コード", "24000")          // check digit missing → 240001
            .Set(1, "所在地_全国地方公共団体コード", "92011")   // leading zero lost → 092011
            .Set(0, "緯度", "３４.７３０２８３")
            .Set(1, "開始時間", "０８:３０");
        t.Above.Add("AED設置箇所一覧（令和6年4月1日現在）");
        t.Below.Add("※土日祝日は利用できません");
        return t;
    }

    [Test]
    public void All_fixes_together_turn_a_broken_shift_jis_file_into_a_valid_utf8_one()
    {
        var all = TableFixes.All.Select(f => f.Id).ToList();
        var before = TableValidator.Validate(Broken().ShiftJis(), "aed.csv", Aed.Schema);
        Assert.That(before.Valid, Is.False);
        Assert.That(before.AvailableFixes, Is.EquivalentTo(new[] { "encoding", "strip-title-rows", "strip-footnote-rows", "full-width-digits", "lgcode" }));

        var fixedTable = TableFixer.Apply(Broken().ShiftJis(), Aed.Schema, all);
        var after = TableValidator.Validate(fixedTable.Bytes, "aed.csv", Aed.Schema);
        Assert.That(after.Findings.Select(f => f.Message), Is.Empty);
        Assert.That(fixedTable.Bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with a BOM, which Excel opens");
        Assert.That((fixedTable.RowsRemoved, fixedTable.CellsChanged), Is.EqualTo((2, 4)));
        var text = Encoding.UTF8.GetString(fixedTable.Bytes);
        Assert.That(text, Does.StartWith("\uFEFF全国地方公共団体コード,ID,"));
        Assert.That(fixedTable.After[1].Cells[0], Is.EqualTo("240001"));
        Assert.That(fixedTable.After[2].Cells[Aed.Schema.Fields.ToList().FindIndex(f => f.Name == "所在地_全国地方公共団体コード")], Is.EqualTo("092011"));
    }

    [Test]
    public void Only_the_chosen_fixes_apply_and_the_encoding_is_kept_otherwise()
    {
        var fixedTable = TableFixer.Apply(Broken().ShiftJis(), Aed.Schema, [TableFixes.StripTitleRows]);
        var report = TableValidator.Validate(fixedTable.Bytes, "aed.csv", Aed.Schema);
        Assert.That(report.Encoding, Is.EqualTo(TextEncoding.ShiftJis));
        Assert.That(report.Findings.Select(f => f.Rule.Id).Distinct(), Is.EquivalentTo(new[] { "encoding-not-utf8", "lgcode-check-digit", "lgcode-leading-zero", "full-width-digits", "footnote-row" }));
        Assert.That(fixedTable.RowsRemoved, Is.EqualTo(1));
    }

    [Test]
    public void Wareki_dates_become_iso_dates_and_text_cells_keep_full_width_characters()
    {
        var csv = "名称,開設日,住所,収容人数\r\n津市体育館,令和元年5月1日,津市一身田１丁目,８００\r\n白塚小学校,H31.4.30,\"津市白塚町,1\",300\r\n";
        var fixedTable = TableFixer.Apply(Encoding.UTF8.GetBytes(csv), null, [TableFixes.Wareki, TableFixes.WideDigits]);
        Assert.That(Encoding.UTF8.GetString(fixedTable.Bytes), Is.EqualTo(
            "名称,開設日,住所,収容人数\r\n津市体育館,2019-05-01,津市一身田１丁目,800\r\n白塚小学校,2019-04-30,\"津市白塚町,1\",300\r\n"));
    }
}
