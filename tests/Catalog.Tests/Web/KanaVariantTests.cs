using Catalog.Web.Localization;
using Catalog.Web.Rendering;

namespace Catalog.Tests.Web;

public sealed class KanaVariantTests
{
    [Test]
    public void Variants_fold_width_and_swap_hiragana_and_katakana()
    {
        Assert.That(KanaVariants.Of("ひなんじょ"), Does.Contain("ヒナンジョ"));
        Assert.That(KanaVariants.Of("ｱｸｾｽ"), Does.Contain("アクセス").And.Contain("あくせす"));
        Assert.That(KanaVariants.Of("ＡＥＤ"), Does.Contain("AED"));
        Assert.That(KanaVariants.Of("AED"), Is.Empty);
    }

    [Test]
    public void Japanese_and_English_texts_have_the_same_keys()
    {
        var keys = Texts.Keys;
        Assert.That(keys["en"].OrderBy(k => k), Is.EqualTo(keys["ja"].OrderBy(k => k)));
    }
}
