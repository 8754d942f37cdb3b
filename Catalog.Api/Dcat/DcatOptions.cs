using System.ComponentModel.DataAnnotations;

namespace Catalog.Api.Dcat;

/// <summary>The <c>Catalog:Dcat</c> section: who publishes the catalog as a whole.</summary>
public sealed class DcatOptions
{
    public const string Section = "Catalog:Dcat";

    /// <summary>The catalog's publisher (dct:publisher of the dcat:Catalog, and of datasets naming no code of their own).</summary>
    [Required, MinLength(1)] public string PublisherName { get; set; } = "三重県";

    /// <summary>The publisher's 全国地方公共団体コード (six digits, check digit included).</summary>
    [Required, RegularExpression("^[0-9]{6}$")] public string PublisherCode { get; set; } = "240001";
}
