namespace Catalog.Core.Validation;

/// <summary>
/// 全国地方公共団体コード: the 5-digit JIS code (JIS X 0401 prefecture + JIS X 0402 municipality) and a check digit.
/// The check digit is (11 − Σ dᵢ·wᵢ mod 11) mod 10 over the first five digits with weights 6, 5, 4, 3, 2.
/// </summary>
public static class LocalGovernmentCode
{
    private static readonly int[] Weights = [6, 5, 4, 3, 2];

    /// <summary>The check digit of a 5-digit JIS code, or null when <paramref name="jisCode"/> is not five ASCII digits.</summary>
    public static int? CheckDigit(ReadOnlySpan<char> jisCode)
    {
        if (jisCode.Length != 5) return null;
        var sum = 0;
        for (var i = 0; i < 5; i++)
        {
            if (!char.IsAsciiDigit(jisCode[i])) return null;
            sum += (jisCode[i] - '0') * Weights[i];
        }
        return (11 - sum % 11) % 10;
    }

    /// <summary>Six ASCII digits whose last is the check digit of the first five.</summary>
    public static bool IsValid(string? code) =>
        code is { Length: 6 } && char.IsAsciiDigit(code[5]) && CheckDigit(code.AsSpan(0, 5)) == code[5] - '0';
}
