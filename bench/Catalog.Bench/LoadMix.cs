using System.Globalization;
using System.Text.Json.Nodes;

namespace Catalog.Bench;

/// <summary>One package_search as traffic sends it: words, filters, facet fields, page and sort.</summary>
public sealed record LoadRequest(string Q, (string Field, string Value)[] Filters, DateTime? ModifiedSince, string[] Facets, int Start, int Sort)
{
    public const int Rows = 10;

    public static readonly string[] Sorts = ["score desc, metadata_modified desc", "metadata_modified desc", "title_string asc"];

    /// <summary>The CKAN facet field and the Groonga column holding the same value.</summary>
    public static readonly (string Ckan, string Groonga)[] FacetFields =
        [("organization", "org"), ("groups", "grp"), ("tags", "tags"), ("res_format", "formats"), ("license_id", "license")];

    public string Key => $"{Q}|{string.Join(",", Filters)}|{ModifiedSince:O}|{string.Join(",", Facets)}|{Start}|{Sort}";

    /// <summary>The URL path of the action, fq_list items as the dataset page writes them.</summary>
    public string CkanPath()
    {
        var query = new List<(string, string)> { ("q", Q) };
        query.AddRange(CkanFilters().Select(f => ("fq_list", f)));
        query.AddRange([("facet.field", FacetJson()), ("facet.limit", "10"), ("rows", Rows.ToString(CultureInfo.InvariantCulture)),
            ("start", Start.ToString(CultureInfo.InvariantCulture)), ("sort", Sorts[Sort])]);
        return "/api/3/action/package_search?" + Encode(query);
    }

    public JsonObject CkanData() => new()
    {
        ["q"] = Q,
        ["fq_list"] = new JsonArray(CkanFilters().Select(f => (JsonNode?)f).ToArray()),
        ["facet.field"] = FacetJson(),
        ["facet.limit"] = 10,
        ["rows"] = Rows,
        ["start"] = Start,
        ["sort"] = Sorts[Sort],
    };

    /// <summary>
    /// The same search as Groonga's select: each word a quoted term over title, notes and tags (weighted as our
    /// fields are), filters on the same columns, drilldowns for facets, public datasets only as for an anonymous caller.
    /// </summary>
    public string GroongaPath()
    {
        var filter = new List<string> { "private == false" };
        foreach (var (field, value) in Filters)
        {
            var column = FacetFields.First(f => f.Ckan == field).Groonga;
            filter.Add(column is "tags" or "formats" ? $"{column} @ {Quote(value)}" : $"{column} == {Quote(value)}");
        }
        if (ModifiedSince is { } since) filter.Add($"modified >= {Quote(since.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}");
        var query = new List<(string, string)> { ("table", "Datasets") };
        var words = Q.Split([' ', '　'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 0)
        {
            query.Add(("query", string.Join(" ", words.Select(Quote))));
            query.Add(("match_columns", "title * 10 || tags_text * 3 || notes"));
        }
        query.Add(("filter", string.Join(" && ", filter)));
        query.Add(("drilldown", string.Join(",", Facets.Select(f => FacetFields.First(x => x.Ckan == f).Groonga))));
        query.AddRange([("drilldown_limit", "10"), ("drilldown_sort_keys", "-_nsubrecs")]);
        query.Add(("sort_keys", Sort switch { 0 => words.Length > 0 ? "-_score,-modified" : "-modified", 1 => "-modified", _ => "title" }));
        query.AddRange([("offset", Start.ToString(CultureInfo.InvariantCulture)), ("limit", Rows.ToString(CultureInfo.InvariantCulture))]);
        query.Add(("output_columns", "_key,title,notes,tags,org,grp,formats,license,modified"));
        return "/d/select?" + Encode(query);
    }

    private IEnumerable<string> CkanFilters() =>
        Filters.Select(f => $"{f.Field}:\"{f.Value}\"")
            .Concat(ModifiedSince is { } since ? [$"metadata_modified:[{since:yyyy-MM-dd'T'HH:mm:ss'Z'} TO *]"] : []);

    private string FacetJson() => new JsonArray(Facets.Select(f => (JsonNode?)f).ToArray()).ToJsonString();

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string Encode(IEnumerable<(string Key, string Value)> pairs) =>
        string.Join("&", pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}

/// <summary>
/// A deterministic mix of distinct package_search requests over <see cref="VariedCatalog"/>: Japanese words and
/// phrases, municipality names, mixed Japanese and English, browsing without words; filters by organization, group,
/// tag, format and modification date; one to four facet fields; pages 1 to 5; three sort orders.
/// </summary>
public static class LoadMix
{
    private static readonly string[] Words =
    [
        "図書館", "避難所", "避難場所", "公園", "トイレ", "駐車場", "保育", "病院", "観光", "文化財", "句碑", "人口", "世帯数",
        "交通事故", "ごみ", "地価", "降水量", "漁獲量", "介護", "子育て", "津波", "温泉", "キャンプ場", "道の駅", "バス停",
        "消火栓", "防犯灯", "投票所", "空き家", "待機児童", "ワクチン", "新型コロナ", "熊野古道", "開館時間", "利用料金",
        "位置情報", "推移", "調査結果", "町丁別", "年齢別", "月別", "バリアフリー", "給水", "学校", "博物館", "薬局", "診療所",
    ];

    private static readonly string[] English = ["AED", "Wi-Fi", "GTFS", "CSV", "English", "GeoJSON", "CC BY", "data", "Free Wi-Fi"];

    /// <summary>Words no dataset holds: the empty answer is traffic too.</summary>
    private static readonly string[] Missing = ["リニア新幹線", "宇宙港", "スキー場"];

    public static List<LoadRequest> Generate(int count, int seed = 2112)
    {
        var random = new Random(seed);
        var seen = new HashSet<string>();
        var mix = new List<LoadRequest>(count);
        var municipalities = VariedCatalog.Municipalities;
        var facilities = VariedCatalog.Facilities;
        var topics = VariedCatalog.Topics;
        while (mix.Count < count)
        {
            string Word() => Words[random.Next(Words.Length)];
            string Place() => municipalities[random.Next(municipalities.Length)];
            var q = random.Next(20) switch
            {
                0 => "",
                1 or 2 or 3 or 4 => Word(),
                5 or 6 => $"{Word()} {Place()}",
                7 => Place(),
                8 => $"{Place()}の{facilities[random.Next(facilities.Length)].Name}",
                9 => $"{topics[random.Next(topics.Length)].Name}の推移",
                10 => $"{VariedCatalog.Breakdowns[random.Next(VariedCatalog.Breakdowns.Length)]}{topics[random.Next(topics.Length)].Name}",
                11 or 12 => $"{English[random.Next(English.Length)]} {Word()}",
                13 => $"{English[random.Next(English.Length)]} {Place()}",
                14 => $"{facilities[random.Next(facilities.Length)].Tags[0]} {Place()}",
                15 => Missing[random.Next(Missing.Length)],
                16 => facilities[random.Next(facilities.Length)].Name,
                17 => $"{Place()} {topics[random.Next(topics.Length)].Name}",
                _ => $"{Word()} {Word()}",
            };
            var filters = new List<(string, string)>();
            // Half browse or search without a filter; two filters together are rarer (they often leave nothing at 10,000).
            for (var n = random.Next(10) switch { < 5 => 0, < 9 => 1, _ => 2 }; n > 0; n--)
                filters.Add(random.Next(4) switch
                {
                    0 => ("organization", VariedCatalog.OrgName(random.Next(municipalities.Length))),
                    1 => ("groups", VariedCatalog.Categories[random.Next(VariedCatalog.Categories.Length)].Name),
                    2 => ("tags", random.Next(3) == 0 ? VariedCatalog.ExtraTags[random.Next(10)] : facilities[random.Next(facilities.Length)].Tags[0]),
                    _ => ("res_format", new[] { "CSV", "PDF", "XLSX", "GeoJSON", "JSON" }[random.Next(5)]),
                });
            DateTime? since = random.Next(6) == 0 ? new DateTime(2019 + random.Next(7), 1 + random.Next(12), 1, 0, 0, 0, DateTimeKind.Utc) : null;
            var facets = LoadRequest.FacetFields.Select(f => f.Ckan).OrderBy(_ => random.Next()).Take(1 + random.Next(4)).ToArray();
            // Most people stay on page 1; some page on.
            var start = random.Next(10) switch { < 6 => 0, < 8 => 10, 8 => 20, _ => 30 + 10 * random.Next(2) };
            var request = new LoadRequest(q, [.. filters.Distinct()], since, facets, start, random.Next(10) switch { < 6 => 0, < 9 => 1, _ => 2 });
            if (seen.Add(request.Key)) mix.Add(request);
        }
        return mix;
    }
}
