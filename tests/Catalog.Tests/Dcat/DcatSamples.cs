using System.Text.Json.Nodes;
using Catalog.Tests.Infrastructure;

namespace Catalog.Tests.Dcat;

/// <summary>Datasets that exercise the DCAT mapping: every field it maps, and text that tests every escape.</summary>
public static class DcatSamples
{
    public const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    public static Task<JsonObject> RichDatasetAsync(CatalogFixtures fixtures, string name, string org) =>
        fixtures.DatasetAsync(name, org, extra: new
        {
            title = "人口統計 \"速報\" <2024> & \\ 改行\nあり 🎌",
            notes = "説明文です。\n\"\"\" と ''' と \\u0041 も文字のまま。",
            tags = new[] { new { name = "人口" }, new { name = "statistics" } },
            url = "https://www.pref.mie.lg.jp/TOPICS/m0001.htm",
            maintainer = "統計課", maintainer_email = "toukei@pref.mie.lg.jp",
            author = "三重県 統計課",
            version = "1.0",
            extras = new[]
            {
                new { key = "frequency", value = "年1回" }, new { key = "spatial", value = "三重県" },
                new { key = "issued", value = "2024-04-01" }, new { key = "lg_code", value = "240001" },
                new { key = "temporal_start", value = "2023-04-01" }, new { key = "temporal_end", value = "2024-03-31" },
                new { key = "language", value = "http://publications.europa.eu/resource/authority/language/JPN" },
                new { key = "copyright", value = "© 三重県" },
            },
            resources = new object[]
            {
                new { url = "https://example.org/data/population.csv", name = "人口 CSV", format = "CSV", mimetype = "text/csv",
                      size = 12345, hash = Hash, encoding = "Shift_JIS", description = "市町別" },
                new { url = "https://example.org/data/population page.html?a=1&b=<2>", name = "ページ", format = "HTML" },
            },
        });
}
