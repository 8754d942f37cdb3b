using Catalog.Core.Store;

namespace Catalog.Bench;

/// <summary>One generated dataset, kept in memory so that the store and the peer engine are loaded with the same data.</summary>
public sealed record VariedDataset(
    string Name, string Title, string Notes, int Org, int Group, string[] Tags, string[] Formats, string License,
    bool Private, DateTime Created, DateTime Modified);

/// <summary>
/// A less repetitive Mie catalog than <see cref="CatalogGenerator"/>'s 30 title templates: titles composed from
/// facilities, statistics topics, breakdowns, districts and years; notes from one sentence to a few KB; two to six
/// tags out of several hundred; one to six resources in varied formats. Deterministic for a seed and a count, so a
/// data folder kept by an earlier run can be matched again without reading it back.
/// </summary>
public sealed class VariedCatalog(int seed = 210021)
{
    public static readonly string[] Municipalities =
    [
        "三重県", "津市", "四日市市", "伊勢市", "松阪市", "桑名市", "鈴鹿市", "名張市", "尾鷲市", "亀山市", "鳥羽市", "熊野市",
        "いなべ市", "志摩市", "伊賀市", "木曽岬町", "東員町", "菰野町", "朝日町", "川越町", "多気町", "明和町", "大台町",
        "玉城町", "度会町", "大紀町", "南伊勢町", "紀北町", "御浜町", "紀宝町",
    ];

    public static readonly (string Name, string Title)[] Categories =
    [
        ("sangyo", "産業・商工業"), ("toukei", "統計"), ("bousai", "防災・災害"), ("iryo-fukushi", "健康・保健・医療・福祉"),
        ("shisetsu", "施設情報"), ("bunka-kyoiku-kanko", "文化・教育・観光"), ("kankyo", "環境"), ("bouhan", "防犯・安全"),
        ("hourei-tochi", "法令・土地"), ("rekishi-kaido", "歴史街道・文化資産等・句碑等"), ("oshirase-event", "お知らせ・イベント情報"),
        ("sonota", "その他"), ("covid19", "新型コロナウィルス関係"),
    ];

    /// <summary>Facilities: name, category, tags.</summary>
    public static readonly (string Name, int Category, string[] Tags)[] Facilities =
    [
        ("図書館", 5, ["図書館", "教育"]), ("公民館", 4, ["公民館", "公共施設"]), ("体育館", 4, ["体育館", "スポーツ"]),
        ("保育所", 3, ["子育て", "保育"]), ("認定こども園", 3, ["子育て", "保育"]), ("幼稚園", 5, ["子育て", "教育"]),
        ("小学校", 5, ["学校", "教育"]), ("中学校", 5, ["学校", "教育"]), ("病院", 3, ["医療", "病院"]),
        ("診療所", 3, ["医療"]), ("薬局", 3, ["医療", "薬局"]), ("指定避難所", 2, ["防災", "避難所"]),
        ("指定緊急避難場所", 2, ["防災", "避難場所"]), ("津波避難ビル", 2, ["防災", "津波"]), ("都市公園", 4, ["公園"]),
        ("市営駐車場", 4, ["駐車場", "交通"]), ("駐輪場", 4, ["駐輪場", "交通"]), ("公衆トイレ", 4, ["トイレ"]),
        ("AED設置施設", 3, ["AED", "医療"]), ("消火栓", 7, ["消防", "防災"]), ("防犯灯", 7, ["防犯"]),
        ("バス停留所", 4, ["交通", "バス"]), ("観光施設", 5, ["観光"]), ("文化財", 9, ["文化財"]), ("句碑", 9, ["句碑"]),
        ("美術館", 5, ["文化", "観光"]), ("博物館", 5, ["文化", "観光"]), ("温泉施設", 5, ["観光", "温泉"]),
        ("キャンプ場", 5, ["観光", "アウトドア"]), ("道の駅", 5, ["観光", "交通"]), ("漁港", 0, ["水産業", "漁港"]),
        ("公衆無線LAN（Free Wi-Fi）アクセスポイント", 4, ["Wi-Fi", "公共施設"]), ("介護サービス事業所", 3, ["介護", "福祉"]),
        ("障害福祉サービス事業所", 3, ["障害福祉", "福祉"]), ("子育て支援センター", 3, ["子育て"]), ("ごみステーション", 6, ["ごみ", "環境"]),
        ("ごみ処理施設", 6, ["ごみ", "環境"]), ("放課後児童クラブ", 3, ["子育て", "教育"]), ("投票所", 11, ["選挙"]),
        ("熊野古道の峠道", 9, ["熊野古道", "歴史街道"]), ("市民農園", 0, ["農業"]), ("災害時給水拠点", 2, ["防災", "水道"]),
    ];

    public static readonly string[] FacilityAspects =
    [
        "一覧", "所在地一覧", "位置情報", "開館時間", "利用者数", "設置箇所", "定員と空き状況", "利用料金", "バリアフリー情報",
        "整備状況", "連絡先一覧", "年度別利用状況", "点検結果",
    ];

    /// <summary>Statistics topics: name, category, tags.</summary>
    public static readonly (string Name, int Category, string[] Tags)[] Topics =
    [
        ("人口", 1, ["人口", "統計"]), ("世帯数", 1, ["人口", "統計"]), ("出生数", 1, ["人口", "子育て"]),
        ("転入・転出者数", 1, ["人口", "統計"]), ("観光入込客数", 5, ["観光", "統計"]), ("交通事故発生件数", 7, ["交通安全"]),
        ("火災発生件数", 7, ["消防"]), ("救急出動件数", 3, ["消防", "医療"]), ("ごみ排出量", 6, ["ごみ", "環境"]),
        ("水道使用量", 6, ["水道"]), ("地価", 8, ["土地", "地価"]), ("降水量", 6, ["気象"]), ("気温", 6, ["気象"]),
        ("大気汚染物質濃度", 6, ["環境", "大気"]), ("河川水質", 6, ["環境", "水質"]), ("農業産出額", 0, ["農業", "統計"]),
        ("漁獲量", 0, ["水産業", "統計"]), ("製造品出荷額", 0, ["産業", "統計"]), ("事業所数", 0, ["産業", "統計"]),
        ("市税収入", 11, ["財政"]), ("歳出決算額", 11, ["財政"]), ("新型コロナウイルス感染症 陽性者数", 12, ["新型コロナウイルス"]),
        ("ワクチン接種回数", 12, ["新型コロナウイルス", "ワクチン"]), ("犯罪認知件数", 7, ["防犯", "統計"]),
        ("空き家数", 8, ["住宅", "空き家"]), ("待機児童数", 3, ["子育て", "保育"]), ("要介護認定者数", 3, ["介護", "福祉"]),
        ("図書貸出冊数", 5, ["図書館"]), ("イベント参加者数", 10, ["イベント"]), ("選挙投票率", 11, ["選挙"]),
    ];

    public static readonly string[] Breakdowns = ["町丁別", "年齢別", "男女別", "月別", "年度別", "地区別", "校区別", "時間帯別"];

    /// <summary>District names (as in addresses), composed from common place-name parts.</summary>
    private static readonly string[] DistrictHeads = ["大", "小", "新", "東", "西", "南", "北", "中", "上", "下", "高", "松", "桜", "白", "青"];
    private static readonly string[] DistrictTails = ["山", "川", "田", "野", "島", "浜", "町", "原", "谷", "崎", "森", "台", "丘", "沢", "坂"];

    private static readonly string[] Sentences =
    [
        "{0}が公開するデータです。", "毎年度更新します。", "データは{1}年{2}月時点のものです。", "位置情報は世界測地系（JGD2011）の緯度経度です。",
        "自治体標準オープンデータセットの項目定義に準拠しています。", "{3}地区を含みます。", "利用にあたっては出典を明記してください。",
        "CSV形式のほか、GeoJSON形式でも提供しています。", "前年度の数値は確定値、当年度の数値は速報値です。", "詳細は担当課へお問い合わせください。",
        "開館時間や休館日は変更になる場合があります。", "災害時には情報が更新されないことがあります。", "The data is published under CC BY 4.0.",
        "English column names are provided in the second row.", "数値は四捨五入のため合計と一致しない場合があります。", "{3}の住民の方の利用を想定しています。",
        "バリアフリー設備（スロープ、多目的トイレ、エレベーター）の有無を含みます。", "観光客向けの多言語案内（英語・中国語・韓国語）も掲載しています。",
        "子育て世帯向けの支援制度の案内と合わせてご覧ください。", "避難所の開設状況は防災情報ページで確認できます。", "本データは{1}年度の調査に基づきます。",
        "項目：名称、所在地、電話番号、緯度、経度、備考。", "令和{4}年度から集計方法を変更しました。", "過去のデータはアーカイブから取得できます。",
    ];

    private static readonly string[] Formats = ["CSV", "CSV", "CSV", "XLSX", "XLS", "PDF", "JSON", "GeoJSON", "ZIP", "HTML", "KML", "TXT", "DOCX"];
    private static readonly string[] Licenses = ["cc-by-40-intl", "cc-by-40-intl", "cc-by-40-intl", "japanese-20", "cc-by-21-jp", "odc-by", "cc-zero"];

    /// <summary>The tags a dataset can carry besides those of its subject: 300 generated keywords and a few labels.</summary>
    public static readonly string[] ExtraTags =
    [
        .. new[] { "自治体標準ODS", "オープンデータ", "位置情報", "統計データ", "英語", "GTFS", "バリアフリー", "多言語", "令和", "平成" },
        .. Enumerable.Range(0, 300).Select(i => $"キーワード{i}"),
    ];

    public IReadOnlyList<VariedDataset> Generate(int count)
    {
        var random = new Random(seed);
        // Fixed reference date: the same seed gives the same catalog on any day.
        var epoch = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var list = new List<VariedDataset>(count);
        for (var i = 0; i < count; i++)
        {
            var org = random.Next(10) < 3 ? 0 : 1 + random.Next(Municipalities.Length - 1);
            var place = Municipalities[org];
            var district = DistrictHeads[random.Next(DistrictHeads.Length)] + DistrictTails[random.Next(DistrictTails.Length)];
            var year = 2015 + random.Next(11);
            string title;
            int category;
            string[] subjectTags;
            if (random.Next(2) == 0)
            {
                var f = Facilities[random.Next(Facilities.Length)];
                var aspect = FacilityAspects[random.Next(FacilityAspects.Length)];
                title = random.Next(4) switch
                {
                    0 => $"{place}{f.Name}{aspect}",
                    1 => $"{f.Name}{aspect}（{year}年度）",
                    2 => $"{district}地区の{f.Name}{aspect}",
                    _ => $"{f.Name}{aspect}",
                };
                (category, subjectTags) = (f.Category, f.Tags);
            }
            else
            {
                var t = Topics[random.Next(Topics.Length)];
                var breakdown = Breakdowns[random.Next(Breakdowns.Length)];
                title = random.Next(4) switch
                {
                    0 => $"{breakdown}{t.Name}（{year}年）",
                    1 => $"{place}の{t.Name}の推移",
                    2 => $"{t.Name}調査結果 {breakdown}",
                    _ => $"{t.Name}（{breakdown}）",
                };
                (category, subjectTags) = (t.Category, t.Tags);
            }
            if (random.Next(25) == 0) title += " (English available)";

            // Notes: mostly short, a long tail up to a few KB.
            var sentenceCount = random.Next(10) switch { < 5 => 1 + random.Next(3), < 8 => 4 + random.Next(8), < 9 => 12 + random.Next(20), _ => 30 + random.Next(40) };
            var notes = new System.Text.StringBuilder(title).Append("。");
            for (var s = 0; s < sentenceCount; s++)
                notes.Append(string.Format(Sentences[random.Next(Sentences.Length)], place, year, 1 + random.Next(12),
                    DistrictHeads[random.Next(DistrictHeads.Length)] + DistrictTails[random.Next(DistrictTails.Length)], 1 + random.Next(7)));

            var tags = subjectTags.Concat(Enumerable.Range(0, random.Next(5)).Select(_ => ExtraTags[random.Next(ExtraTags.Length)]))
                .Distinct().ToArray();
            var formats = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => Formats[random.Next(Formats.Length)]).ToArray();
            var created = epoch.AddDays(-random.Next(3000)).AddSeconds(-random.Next(86400));
            list.Add(new VariedDataset(
                Name: $"mie-{i:D6}", Title: title, Notes: notes.ToString(), Org: org, Group: category, Tags: tags, Formats: formats,
                License: Licenses[random.Next(Licenses.Length)], Private: random.Next(20) == 0, Created: created,
                Modified: created.AddDays(random.Next(400)) is var m && m > epoch ? epoch : m));
        }
        return list;
    }

    public static string OrgName(int org) => $"org-{org:D2}";

    /// <summary>Writes the datasets straight into the store, as <see cref="CatalogGenerator"/> does.</summary>
    public static async Task WriteAsync(CatalogDbContext db, IReadOnlyList<VariedDataset> datasets, Action<int>? progress = null)
    {
        var now = DateTime.UtcNow;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var orgs = Municipalities.Select((m, i) => new Group
        {
            Id = Guid.NewGuid().ToString(), Name = OrgName(i), Title = m, Type = "organization", IsOrganization = true, Created = now,
        }).ToList();
        var groups = Categories.Select(c => new Group
        {
            Id = Guid.NewGuid().ToString(), Name = c.Name, Title = c.Title, Type = "group", Created = now,
        }).ToList();
        db.Groups.AddRange(orgs);
        db.Groups.AddRange(groups);
        var tags = datasets.SelectMany(d => d.Tags).Distinct()
            .Select(name => new Tag { Id = Guid.NewGuid().ToString(), Name = name })
            .ToDictionary(t => t.Name);
        db.Tags.AddRange(tags.Values);
        await db.SaveChangesAsync();

        for (var i = 0; i < datasets.Count; i++)
        {
            var d = datasets[i];
            var p = new Package
            {
                Id = Guid.NewGuid().ToString(), Name = d.Name, Title = d.Title, Notes = d.Notes,
                Author = $"{Municipalities[d.Org]} 担当課", Maintainer = $"{Municipalities[d.Org]} オープンデータ担当",
                LicenseId = d.License, OwnerOrgId = orgs[d.Org].Id, Private = d.Private, CreatorUserId = null,
                MetadataCreated = d.Created, MetadataModified = d.Modified,
            };
            foreach (var tag in d.Tags) p.Tags.Add(new PackageTag { PackageId = p.Id, TagId = tags[tag].Id });
            for (var r = 0; r < d.Formats.Length; r++)
            {
                var format = d.Formats[r];
                p.Resources.Add(new Resource
                {
                    Id = Guid.NewGuid().ToString(), PackageId = p.Id, Position = r, Name = $"{d.Title}（{format}）",
                    Description = r == 0 ? "最新版" : "過去の版", Url = $"https://www.pref.mie.lg.jp/opendata/{d.Name}/{r}.{format.ToLowerInvariant()}",
                    Format = format, Created = d.Created,
                });
            }
            p.Extras.Add(new PackageExtra { PackageId = p.Id, Key = "spatial", Value = Municipalities[d.Org] });
            db.Packages.Add(p);
            db.Members.Add(new Member
            {
                Id = Guid.NewGuid().ToString(), GroupId = groups[d.Group].Id, TableName = "package", TableId = p.Id, Capacity = "public",
            });
            if ((i + 1) % 2000 == 0 || i == datasets.Count - 1)
            {
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
                progress?.Invoke(i + 1);
            }
        }
    }
}
