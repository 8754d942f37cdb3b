using Catalog.Core.Validation;

namespace Catalog.Tests.Validation;

/// <summary>CKAN's tag rule as BODIK applies it: Unicode letters and numbers pass, Japanese punctuation does not.</summary>
public sealed class TagRuleTests
{
    [TestCase("防災")]
    [TestCase("避難所")]
    [TestCase("防災 情報")]
    [TestCase("AED設置箇所")]
    [TestCase("自治体標準ODS")]
    [TestCase("カーブミラー")]            // ー is a modifier letter (Lm), a word character in Python
    [TestCase("ｶﾀｶﾅ")]                   // half-width katakana are letters too
    [TestCase("第１回")]                 // full-width digits are decimal digits
    [TestCase("①番")]                    // circled numbers are numbers (No)
    [TestCase("𠮷田町")]                  // a kanji outside the BMP is one letter, not two broken halves
    [TestCase("r4.0_人口-推計")]
    [TestCase("ab")]
    public void Accepted(string tag) => Assert.That(TagRule.Problem(tag), Is.Null);

    [TestCase("防災・減災")]               // katakana middle dot
    [TestCase("市町／県")]                 // full-width solidus
    [TestCase("人口（推計）")]              // full-width parentheses
    [TestCase("観光、宿泊")]               // ideographic comma
    [TestCase("防災　情報")]               // ideographic (full-width) space
    [TestCase("A&B")]
    [TestCase("a/b")]
    [TestCase("#防災")]
    [TestCase("「防災」")]
    [TestCase("防災。")]
    [TestCase("か\u3099")]                  // a combining sound mark (Mn) is not a word character in Python
    public void Refused_characters(string tag) =>
        Assert.That(TagRule.Problem(tag), Is.EqualTo($"Tag \"{tag}\" must be alphanumeric characters or symbols: -_."));

    [Test]
    public void Length_counts_code_points_as_python_does()
    {
        Assert.That(TagRule.Problem("防"), Is.EqualTo("Tag \"防\" length is less than minimum 2"));
        Assert.That(TagRule.Problem("𠮷"), Is.EqualTo("Tag \"𠮷\" length is less than minimum 2"));
        Assert.That(TagRule.Problem(string.Concat(Enumerable.Repeat("𠮷", 100))), Is.Null);
        Assert.That(TagRule.Problem(new string('防', 101)), Does.StartWith("Tag \"防防").And.EndWith("length is more than maximum 100"));
    }

    [Test]
    public void A_long_tag_is_shortened_in_the_message_without_splitting_a_character()
    {
        var tag = new string('a', 59) + string.Concat(Enumerable.Repeat("𠮷", 50));
        var message = TagRule.Problem(tag)!;
        Assert.That(message, Does.Contain(new string('a', 59) + "…"));
    }
}
