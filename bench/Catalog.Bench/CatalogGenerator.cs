using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Bench;

/// <summary>
/// Writes a synthetic but plausible Mie catalog straight into the store: organizations (prefecture and
/// municipalities), the 13 category groups, and datasets with Japanese titles, notes, tags, resources and extras.
/// </summary>
public sealed class CatalogGenerator(int seed = 240001)
{
    private static readonly string[] Municipalities =
    [
        "三重県", "津市", "四日市市", "伊勢市", "松阪市", "桑名市", "鈴鹿市", "名張市", "尾鷲市", "亀山市", "鳥羽市", "熊野市",
        "いなべ市", "志摩市", "伊賀市", "木曽岬町", "東員町", "菰野町", "朝日町", "川越町", "多気町", "明和町", "大台町",
        "玉城町", "度会町", "大紀町", "南伊勢町", "紀北町", "御浜町", "紀宝町",
    ];

    private static readonly (string Name, string Title)[] Categories =
    [
        ("sangyo", "産業・商工業"), ("toukei", "統計"), ("bousai", "防災・災害"), ("iryo-fukushi", "健康・保健・医療・福祉"),
        ("shisetsu", "施設情報"), ("bunka-kyoiku-kanko", "文化・教育・観光"), ("kankyo", "環境"), ("bouhan", "防犯・安全"),
        ("hourei-tochi", "法令・土地"), ("rekishi-kaido", "歴史街道・文化資産等・句碑等"), ("oshirase-event", "お知らせ・イベント情報"),
        ("sonota", "その他"), ("covid19", "新型コロナウィルス関係"),
    ];

    /// <summary>Title, notes, tags and category of each kind of dataset municipalities publish.</summary>
    private static readonly (string Title, string Notes, string[] Tags, int Category)[] Kinds =
    [
        ("指定緊急避難場所一覧", "{0}が指定する指定緊急避難場所の名称、所在地、緯度経度、対象となる災害種別。", ["防災", "避難場所"], 2),
        ("指定避難所一覧", "{0}の指定避難所の名称、住所、想定収容人数。", ["防災", "避難所"], 2),
        ("洪水ハザードマップ", "{0}の洪水浸水想定区域と避難経路。", ["防災", "洪水"], 2),
        ("土砂災害警戒区域", "{0}内の土砂災害警戒区域の指定状況。", ["防災", "土砂災害"], 2),
        ("AED設置箇所一覧", "{0}の公共施設等に設置している自動体外式除細動器の設置場所。", ["AED", "医療"], 3),
        ("医療機関一覧", "{0}内の病院・診療所の名称、所在地、診療科目。", ["医療", "病院"], 3),
        ("介護サービス事業所一覧", "{0}の介護保険サービス事業所の一覧。", ["介護", "福祉"], 3),
        ("公共施設一覧", "{0}が所管する庁舎、公民館、体育館等の公共施設。", ["公共施設"], 4),
        ("公衆トイレ一覧", "{0}が管理する公衆トイレの所在地と多目的トイレの有無。", ["トイレ"], 4),
        ("公衆無線LANアクセスポイント一覧", "{0}で利用できる公衆無線LAN（Free Wi-Fi）。", ["Wi-Fi"], 4),
        ("図書館一覧", "{0}内の図書館の所在地と開館時間。", ["図書館"], 4),
        ("観光施設一覧", "{0}の主な観光施設の名称、料金、アクセス方法。", ["観光"], 5),
        ("保育所一覧", "{0}の認可保育所・認定こども園の定員と受入年齢。", ["子育て", "保育"], 5),
        ("文化財一覧", "{0}の指定文化財の名称、種類、所在地。", ["文化財"], 5),
        ("ごみ収集カレンダー", "{0}の地区別ごみ収集日。", ["ごみ", "環境"], 6),
        ("大気汚染測定結果", "{0}の測定局における大気汚染物質の測定結果。", ["環境", "大気"], 6),
        ("交通事故発生状況", "{0}の月別交通事故発生件数。", ["交通安全"], 7),
        ("防犯灯設置箇所", "{0}が設置した防犯灯の位置。", ["防犯"], 7),
        ("地価調査", "{0}の基準地価格と変動率。", ["土地", "地価"], 8),
        ("用途地域", "{0}の都市計画用途地域。", ["都市計画"], 8),
        ("住民基本台帳人口", "{0}の町丁別の人口と世帯数。", ["人口", "統計"], 1),
        ("年齢別人口", "{0}の年齢各歳別・男女別の人口。", ["人口", "統計"], 1),
        ("工業統計調査結果", "{0}の製造業の事業所数と製造品出荷額。", ["統計", "産業"], 0),
        ("食品営業許可施設一覧", "{0}の食品営業許可施設の業種と所在地。", ["食品"], 0),
        ("熊野古道 峠道一覧", "{0}の熊野古道の峠道と石畳。", ["熊野古道", "歴史街道"], 9),
        ("句碑一覧", "{0}に建つ句碑の所在地と句。", ["句碑"], 9),
        ("イベント一覧", "{0}で開催されるイベントの名称、日時、場所。", ["イベント"], 10),
        ("オープンデータ一覧", "{0}が公開しているオープンデータの一覧。", ["オープンデータ"], 11),
        ("新型コロナウイルス感染症 陽性者数", "{0}の日別陽性者数。", ["新型コロナウイルス"], 12),
        ("新型コロナワクチン接種状況", "{0}のワクチン接種回数。", ["新型コロナウイルス", "ワクチン"], 12),
    ];

    private static readonly string[] Formats = ["CSV", "CSV", "CSV", "XLSX", "PDF", "JSON", "GeoJSON"];
    private static readonly string[] Licenses = ["cc-by-40-intl", "cc-by-40-intl", "japanese-20", "cc-by-21-jp", "odc-by"];
    private static readonly string[] Frequencies = ["年1回", "月1回", "随時", "四半期"];

    public async Task GenerateAsync(CatalogDbContext db, int count, Action<int>? progress = null)
    {
        var random = new Random(seed);
        var now = DateTime.UtcNow;
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        var orgs = Municipalities.Select((m, i) => new Group
        {
            Id = Guid.NewGuid().ToString(), Name = $"org-{i:D2}", Title = m, Type = "organization", IsOrganization = true, Created = now,
        }).ToList();
        var groups = Categories.Select(c => new Group
        {
            Id = Guid.NewGuid().ToString(), Name = c.Name, Title = c.Title, Type = "group", Created = now,
        }).ToList();
        db.Groups.AddRange(orgs);
        db.Groups.AddRange(groups);
        var tags = Kinds.SelectMany(k => k.Tags).Append("自治体標準ODS").Distinct()
            .Concat(Enumerable.Range(0, 400).Select(i => $"キーワード{i}"))
            .Select(name => new Tag { Id = Guid.NewGuid().ToString(), Name = name })
            .ToDictionary(t => t.Name);
        db.Tags.AddRange(tags.Values);
        await db.SaveChangesAsync();

        for (var i = 0; i < count; i++)
        {
            var org = random.Next(orgs.Count);
            var kind = Kinds[random.Next(Kinds.Length)];
            var year = 2016 + random.Next(10);
            var created = now.AddDays(-random.Next(3000)).AddSeconds(-random.Next(86400));
            var p = new Package
            {
                Id = Guid.NewGuid().ToString(),
                Name = $"{orgs[org].Name}-{i:D6}",
                Title = random.Next(3) == 0 ? $"{kind.Title}（{year}年度）" : kind.Title,
                Notes = string.Format(kind.Notes, Municipalities[org]) + " 毎年度更新します。",
                Author = $"{Municipalities[org]} 担当課",
                Maintainer = $"{Municipalities[org]} オープンデータ担当",
                LicenseId = Licenses[random.Next(Licenses.Length)],
                OwnerOrgId = orgs[org].Id,
                Private = random.Next(20) == 0,
                CreatorUserId = null,
                MetadataCreated = created,
                MetadataModified = created.AddDays(random.Next(300)),
            };
            foreach (var tag in kind.Tags.Append($"キーワード{random.Next(400)}").Distinct())
                p.Tags.Add(new PackageTag { PackageId = p.Id, TagId = tags[tag].Id });
            if (random.Next(3) == 0) p.Tags.Add(new PackageTag { PackageId = p.Id, TagId = tags["自治体標準ODS"].Id });
            var resources = 1 + random.Next(3);
            for (var r = 0; r < resources; r++)
            {
                var format = Formats[random.Next(Formats.Length)];
                p.Resources.Add(new Resource
                {
                    Id = Guid.NewGuid().ToString(), PackageId = p.Id, Position = r, Name = $"{kind.Title}（{format}）",
                    Description = r == 0 ? "最新版" : $"{year - r}年度版", Url = $"https://www.pref.mie.lg.jp/opendata/{p.Name}/{r}.{format.ToLowerInvariant()}",
                    Format = format, Created = created,
                });
            }
            p.Extras.Add(new PackageExtra { PackageId = p.Id, Key = "spatial", Value = Municipalities[org] });
            p.Extras.Add(new PackageExtra { PackageId = p.Id, Key = "frequency", Value = Frequencies[random.Next(Frequencies.Length)] });
            db.Packages.Add(p);
            db.Members.Add(new Member
            {
                Id = Guid.NewGuid().ToString(), GroupId = groups[kind.Category].Id, TableName = "package", TableId = p.Id, Capacity = "public",
            });
            if ((i + 1) % 2000 == 0 || i == count - 1)
            {
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
                progress?.Invoke(i + 1);
            }
        }
    }
}
