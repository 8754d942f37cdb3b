using Catalog.Core.DataStore;

namespace Catalog.Tests.DataStore;

/// <summary>Column types inferred from values; codes with a leading zero stay text so the zero is never lost.</summary>
public sealed class TypeGuessTests
{
    private static ColumnType Guess(params string[] values)
    {
        var guess = new TypeGuess();
        foreach (var v in values) guess.Add(v);
        return guess.Result;
    }

    [Test]
    public void Codes_with_a_leading_zero_stay_text()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Guess("011002", "240001"), Is.EqualTo(ColumnType.Text), "全国地方公共団体コード");
            Assert.That(Guess("0596", "059"), Is.EqualTo(ColumnType.Text), "phone area codes");
            Assert.That(Guess("０１２３"), Is.EqualTo(ColumnType.Text), "full-width digits too");
            Assert.That(Guess("-01"), Is.EqualTo(ColumnType.Text));
        });
    }

    [Test]
    public void Ordinary_numbers_are_still_numbers()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Guess("0", "12", "1,234", "▲5"), Is.EqualTo(ColumnType.Int));
            Assert.That(Guess("0.5", "10.25"), Is.EqualTo(ColumnType.Numeric));
            Assert.That(Guess("240001", "242012"), Is.EqualTo(ColumnType.Int));
        });
    }

    [TestCase("全国地方公共団体コード", true)]
    [TestCase("郵便番号", true)]
    [TestCase("電話番号", true)]
    [TestCase("ID", true)]
    [TestCase("ｺｰﾄﾞ", true)]
    [TestCase("city_code", true)]
    [TestCase("収容人数", false)]
    [TestCase("緯度", false)]
    public void Headers_naming_codes_keep_their_column_text(string header, bool code) =>
        Assert.That(TypeGuess.IsCodeHeader(header), Is.EqualTo(code));
}
