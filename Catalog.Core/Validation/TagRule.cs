using System.Globalization;
using System.Text;

namespace Catalog.Core.Validation;

/// <summary>
/// CKAN's tag rule (tag_length_validator and tag_name_validator in ckan/logic/validators.py): 2 to 100 characters,
/// each a Python <c>\w</c> character, a space, <c>-</c> or <c>.</c>. Datasets we send to BODIK and those its harvester
/// takes from us pass its own create validation only if their tags pass this, so ours refuses the same tags.
/// </summary>
public static class TagRule
{
    public const int MinLength = 2;
    public const int MaxLength = 100;

    /// <summary>CKAN's message for a tag it would refuse, or null when it accepts the tag.</summary>
    public static string? Problem(string tag)
    {
        // Python counts code points: a kanji outside the BMP (𠮷) is one character there, two UTF-16 units here.
        var length = tag.EnumerateRunes().Count();
        if (length < MinLength) return $"Tag \"{tag}\" length is less than minimum {MinLength}";
        if (length > MaxLength) return $"Tag \"{Validators.Truncate(tag)}\" length is more than maximum {MaxLength}";
        foreach (var rune in tag.EnumerateRunes())
            if (!IsAllowed(rune)) return $"Tag \"{Validators.Truncate(tag)}\" must be alphanumeric characters or symbols: -_.";
        return null;
    }

    /// <summary>
    /// Python's <c>\w</c> on str: letters (L*), numbers (Nd, Nl, No) and <c>_</c>. Narrower than .NET's <c>\w</c>,
    /// which also takes marks and connector punctuation; checked per code point so that supplementary-plane
    /// letters count as the letters they are.
    /// </summary>
    private static bool IsAllowed(Rune rune)
    {
        if (rune.Value is ' ' or '-' or '.' or '_') return true;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            _ => false,
        };
    }
}
