#!/usr/bin/env python3
"""Writes samples/site/: a small copy of Mie Prefecture's department pages (pref.mie.lg.jp's page shape) for the harvester."""
import io, os, zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site")
FW = str.maketrans("0123456789", "０１２３４５６７８９")

def write(path, data):
    full = os.path.join(ROOT, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

class Fixed:
    """Zip entries with a fixed timestamp, so regenerating the site leaves unchanged files byte for byte the same."""
    def __init__(self, z): self.z = z
    def writestr(self, name, data):
        self.z.writestr(zipfile.ZipInfo(name, date_time=(2024, 4, 1, 9, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)

def xlsx(rows, sheets=None):
    """A real Office Open XML workbook (inline strings, numbers); sheets: extra (name, rows) after the first."""
    sheets = [("Sheet1", rows)] + list(sheets or [])
    def cell(ref, v):
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"><v>{v}</v></c>'
        v = str(v).replace("&", "&amp;").replace("<", "&lt;")
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
    def sheet_xml(rows):
        body = "".join(f'<row r="{i+1}">' + "".join(cell(f"{chr(65+j)}{i+1}", v) for j, v in enumerate(r) if v is not None) + "</row>"
                       for i, r in enumerate(rows))
        return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{k+1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for k in range(len(sheets)))
    sheet_list = "".join(f'<sheet name="{n}" sheetId="{k+1}" r:id="rId{k+1}"/>' for k, (n, _) in enumerate(sheets))
    rels = "".join(f'<Relationship Id="rId{k+1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{k+1}.xml"/>' for k in range(len(sheets)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        z = Fixed(zf)
        z.writestr("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheet_list}</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for k, (_, rows) in enumerate(sheets):
            z.writestr(f"xl/worksheets/sheet{k+1}.xml", sheet_xml(rows))
    return buf.getvalue()

def pdf(text):
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs):
        offsets.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)

CATEGORIES = {"bousai": "防災・災害", "toukei": "統計", "kenkou": "健康・保健・医療・福祉", "shisetsu": "施設情報", "kankyo": "環境", "kankou": "文化・教育・観光",
              "sangyo": "産業・商工業", "bouhan": "防犯・安全", "houreitochi": "法令・土地", "rekishi": "歴史街道・文化資産等・句碑等",
              "oshirase": "お知らせ・イベント情報", "sonota": "その他", "corona": "新型コロナウィルス関係"}

# (category, dept path, title, 担当所属, date, notes, files [(href, text, bytes|None)], table rows or None)
PAGES = []
def page(cat, path, title, dept, date, notes, files, table=None):
    PAGES.append((cat, path, title, dept, date, notes, files, table))

# Windows writes 髙 in the IBM extension row (FB FC); Python picks the NEC-selected row.
sjis = lambda s: s.encode("cp932").replace(b"\xee\xe0", b"\xfb\xfc")
page("bousai", "/BOUSAI/HP/m0031000012_00074.htm", "指定緊急避難場所一覧", "防災対策部 > 防災企画・地域支援課 > 地域支援班", "令和6年4月1日",
     "県内市町が指定する指定緊急避難場所の一覧です。自治体標準オープンデータセットの項目定義に沿っています。",
     [("/common/content/001100001.csv", "指定緊急避難場所一覧（CSV：12KB）", sjis("ID,名称,所在地_連結表記,緯度,経度\n1,津市立南が丘小学校,三重県津市垂水1,34.7,136.5\n2,松阪市民文化会館,三重県松阪市殿町1,34.57,136.53\n")),
      ("/common/content/001100002.xlsx", "指定緊急避難場所一覧（エクセル：20KB）", xlsx([["ID", "名称"], [1, "津市立南が丘小学校"], [2, "松阪市民文化会館"]])),
      ("/common/content/001100001.csv", "指定緊急避難場所一覧（CSV：12KB）", None)])
page("bousai", "/BOUSAI/HP/m0031000012_00080.htm", "防災ヘリコプター出動実績", "防災対策部 > 消防・保安課", "令和5年12月15日",
     "防災ヘリコプター「みえ」の年度別出動件数です。",
     [("/common/content/001100010.csv", "出動実績（CSV）", "年度,救急,救助,火災,合計\n令和3年度,120,45,12,177\n令和4年度,131,50,9,190\n＊単位：件\n".encode("utf-8"))])
page("toukei", "/DATABOX/25253005868.htm", "三重県の人口（月別推計人口）", "総務部 > 統計課 > 人口班", "令和6年3月29日",
     "三重県の月別推計人口です。毎月更新しています。",
     [("/common/content/001100020.csv", "月別推計人口（CSV：3KB）", b"\xef\xbb\xbf" + "年月,総数,男,女\n2024-01,1733000,845000,888000\n2024-02,1732000,844500,887500\n".encode("utf-8")),
      ("/common/content/001100021.pdf", "推計人口の説明（PDF：40KB）", pdf("Population estimate notes"))])
page("toukei", "/DATABOX/25253005870.htm", "市町別人口と世帯数", "総務部 > 統計課", "令和6年1月10日",
     "市町別の人口と世帯数の表です。",
     [], [["市町", "人口", "世帯数"], ["津市", "272000", "126000"], ["四日市市", "310000", "140000"], ["伊勢市", "122000", "55000"]])
page("kenkou", "/YAKUMUS/HP/m0068000066_00011.htm", "薬局一覧", "医療保健部 > 薬務課 > 薬事班", "令和５年１０月２日",
     "県内の薬局の一覧です。髙田薬局など旧字体を含みます。",
     [("/common/content/001100030.csv", "薬局一覧（CSV）", sjis("名称,所在地,電話番号\n髙田薬局,三重県津市髙茶屋1,059-000-0000\nみえ薬局,三重県四日市市1,059-111-1111\n")),
      ("/common/content/009999999.csv", "旧い薬局一覧（CSV）", None)])
page("kenkou", "/YAKUMUS/HP/m0068000071_00022.htm", "献血者数の推移", "医療保健部 > 薬務課", "令和6年2月1日",
     "年度別の献血者数です。",
     [("/common/content/001100040.json", "献血者数（JSON）", '{"data":[{"年度":"令和4年度","人数":61000},{"年度":"令和5年度","人数":60500}]}'.encode("utf-8"))])
page("kenkou", "/SHOKUSEI/HP/p0015300021.htm", "食品営業許可施設一覧", "農林水産部 > 食品安全課", "令和6年4月15日",
     "食品衛生法に基づく営業許可施設の一覧です。",
     [("/common/content/001100050.csv", "営業許可施設一覧（CSV）", "施設名称,業種,所在地\n食堂みえ,飲食店営業,津市\n伊勢うどん本舗,飲食店営業,伊勢市\n".encode("euc_jp")),
      ("https://www.example.com/opendata/food.csv", "国の一覧（外部サイト）", None)])
page("shisetsu", "/KENSETSU/HP/m0040000010_00001.htm", "県営都市公園一覧", "県土整備部 > 都市政策課 > 公園班", "令和5年4月1日",
     "県営都市公園の一覧と面積です。",
     [("/common/content/001100060.csv", "県営都市公園（CSV）", sjis("公園名,所在地,面積(ha)\n鈴鹿青少年の森,鈴鹿市,64.8\n北勢中央公園,四日市市,107.4\n")),
      ("/common/content/001100061.tsv", "県営都市公園（TSV）", "公園名\t所在地\n鈴鹿青少年の森\t鈴鹿市\n".encode("utf-8"))])
page("shisetsu", "/KENSETSU/HP/m0040000010_00002.htm", "県立図書館の利用状況", "環境生活部 > 文化振興課", "令和6年3月1日",
     "三重県立図書館の年度別利用状況です。",
     [("/common/content/001100070.xml", "利用状況（XML）", '<?xml version="1.0" encoding="UTF-8"?><利用状況><年度 値="令和4年度" 来館者="450000"/></利用状況>'.encode("utf-8"))],
     [["年度", "来館者数", "貸出冊数"], ["令和3年度", "410000", "1200000"], ["令和4年度", "450000", "1250000"]])
page("kankyo", "/KANKYO/HP/m0050000020_00003.htm", "大気汚染常時監視測定結果", "環境生活部 > 環境共生局 > 大気・水環境課", "令和6年1月25日",
     "県内測定局の大気汚染物質の年平均値です。",
     [("/common/content/001100080.zip", "測定結果一式（ZIP）", None), ("/common/content/001100081.csv", "年平均値（CSV）", "測定局,二酸化窒素,PM2.5\n四日市,0.012,9.8\n津,0.008,8.1\n".encode("utf-8"))])
page("kankou", "/KANKO/HP/m0060000001_00001.htm", "観光入込客数", "雇用経済部 > 観光部 > 観光政策課", "令和６年５月３１日",
     "県内の観光入込客数（延べ数）です。",
     [("/common/content/001100090.xlsx", "観光入込客数（エクセル）", xlsx([["年", "入込客数（千人）"], [2022, 36000], [2023, 40500]]))])
page("kankou", "/KANKO/HP/m0060000001_00002.htm", "文化財一覧", "教育委員会事務局 > 社会教育・文化財保護課", "平成30年11月22日",
     "県指定文化財の一覧です。",
     [("/common/content/001100100.csv", "文化財一覧（CSV）", sjis("名称,種類,所在地\n伊勢神宮神宝,美術工芸品,伊勢市\n熊野古道,その他,尾鷲市\n"))])


# The rest of the site: pages generated from a list of topics in Mie's shape, each with its own mix of files.
import random
rnd = random.Random(240001)
MUNIS = ["津市", "四日市市", "伊勢市", "松阪市", "桑名市", "鈴鹿市", "名張市", "尾鷲市", "亀山市", "鳥羽市", "熊野市", "いなべ市", "志摩市", "伊賀市",
         "木曽岬町", "東員町", "菰野町", "朝日町", "川越町", "多気町", "明和町", "大台町", "玉城町", "度会町", "大紀町", "南伊勢町", "紀北町", "御浜町", "紀宝町"]
# (category, path, title, 担当所属, date, columns, kinds): kinds per file, in link order:
# sjis / cp932 / utf8 / bom csv, xlsx, xlsx-title (a title row above the header, two sheets), pdf, table (an HTML table on the page)
TOPICS = [
    ("sangyo", "/SHOKO/HP/m0103000001_00001.htm", "工業統計調査 市町別事業所数", "雇用経済部 > ものづくり産業振興課", "令和5年8月1日", ["市町", "事業所数", "従業者数"], ["sjis", "xlsx-title"]),
    ("sangyo", "/SHOKO/HP/m0103000001_00002.htm", "商店街一覧", "雇用経済部 > 中小企業・サービス産業振興課", "令和4年6月30日", ["市町", "商店街数", "店舗数"], ["utf8", "pdf"]),
    ("sangyo", "/NOUSUI/HP/m0170100002_00001.htm", "農業産出額（市町別）", "農林水産部 > 農林水産総務課", "令和6年2月9日", ["市町", "産出額（千万円）", "農家数"], ["cp932", "xlsx"]),
    ("sangyo", "/NOUSUI/HP/m0170100002_00002.htm", "漁港一覧", "農林水産部 > 水産基盤整備課", "令和3年3月31日", ["市町", "漁港数", "登録漁船数"], ["sjis", "pdf", "table"]),
    ("toukei", "/DATABOX/25253005900.htm", "毎月勤労統計調査（地方調査）", "総務部 > 統計課 > 商工労働班", "令和6年4月26日", ["市町", "現金給与総額", "総実労働時間"], ["bom", "xlsx-title"]),
    ("toukei", "/DATABOX/25253005901.htm", "市町別 出生数・死亡数", "総務部 > 統計課 > 人口班", "令和6年1月31日", ["市町", "出生数", "死亡数"], ["sjis", "xlsx", "pdf"]),
    ("bousai", "/BOUSAI/HP/m0031000012_00090.htm", "防災倉庫一覧", "防災対策部 > 防災企画・地域支援課", "令和5年7月1日", ["市町", "倉庫数", "備蓄食料（食）"], ["cp932", "xlsx"]),
    ("bousai", "/BOUSAI/HP/m0031000012_00091.htm", "土砂災害警戒区域の指定状況", "県土整備部 > 防災砂防課", "令和6年3月15日", ["市町", "警戒区域", "特別警戒区域"], ["sjis", "pdf"]),
    ("kenkou", "/IRYOS/HP/m0048000013_00001.htm", "救急告示医療機関一覧", "医療保健部 > 地域医療推進課", "令和5年11月1日", ["市町", "医療機関数", "病床数"], ["sjis", "xlsx"]),
    ("kenkou", "/KODOMO/HP/m0331000001_00001.htm", "保育所等利用待機児童数", "子ども・福祉部 > 少子化対策課", "令和5年5月19日", ["市町", "待機児童数", "利用児童数"], ["utf8", "table"]),
    ("kenkou", "/CHOJUS/HP/m0044000001_00001.htm", "介護保険事業状況", "医療保健部 > 長寿介護課", "令和6年3月8日", ["市町", "要介護認定者数", "第1号被保険者数"], ["bom", "xlsx-title", "pdf"]),
    ("shisetsu", "/KENSETSU/HP/m0040000010_00003.htm", "県営住宅一覧", "県土整備部 > 住宅政策課", "令和4年10月3日", ["市町", "団地数", "管理戸数"], ["sjis", "xlsx"]),
    ("shisetsu", "/KYOIKU/HP/m0200000001_00001.htm", "県立学校一覧", "教育委員会事務局 > 教育総務課", "令和6年4月1日", ["市町", "高等学校", "特別支援学校"], ["cp932", "pdf"]),
    ("kankyo", "/KANKYO/HP/m0050000020_00004.htm", "一般廃棄物処理実態調査", "環境生活部 > 廃棄物対策局 > 資源循環推進課", "令和5年3月24日", ["市町", "ごみ総排出量（t）", "リサイクル率"], ["sjis", "xlsx-title"]),
    ("kankyo", "/KANKYO/HP/m0050000020_00005.htm", "公共用水域の水質測定結果", "環境生活部 > 環境共生局 > 大気・水環境課", "令和6年1月12日", ["市町", "BOD", "COD"], ["utf8", "pdf", "table"]),
    ("kankou", "/KANKO/HP/m0060000001_00003.htm", "宿泊旅行統計", "観光部 > 観光政策課", "令和6年5月10日", ["市町", "施設数", "延べ宿泊者数"], ["sjis", "xlsx"]),
    ("kankou", "/BUNKA/HP/m0075000001_00001.htm", "県立文化施設の利用者数", "環境生活部 > 文化振興課", "令和5年6月2日", ["市町", "施設数", "利用者数"], ["bom", "pdf"]),
    ("bouhan", "/KEISATSU/HP/m0001000001_00001.htm", "交通事故発生状況（市町別）", "地域連携・交通部 > 交通安全・消費生活課", "令和6年2月20日", ["市町", "発生件数", "負傷者数"], ["sjis", "xlsx", "pdf"]),
    ("bouhan", "/KEISATSU/HP/m0001000001_00002.htm", "AED設置場所一覧", "医療保健部 > 地域医療推進課", "令和5年9月1日", ["市町", "設置施設数", "設置台数"], ["cp932", "table"]),
    ("houreitochi", "/TOCHI/HP/m0085000001_00001.htm", "地価調査 基準地価格", "地域連携・交通部 > 水資源・地域プロジェクト課", "令和5年9月19日", ["市町", "基準地数", "平均価格（円/㎡）"], ["sjis", "xlsx-title"]),
    ("rekishi", "/BUNKA/HP/m0075000001_00002.htm", "熊野古道伊勢路 句碑一覧", "環境生活部 > 文化振興課", "平成31年3月29日", ["市町", "句碑数", "登録文化財"], ["utf8", "pdf"]),
    ("oshirase", "/KOHO/HP/m0100000001_00001.htm", "県政だより掲載イベント一覧", "総務部 > 広聴広報課", "令和6年4月5日", ["市町", "イベント数", "参加者数"], ["bom", "xlsx"]),
    ("sonota", "/ZAISEI/HP/m0090000001_00001.htm", "市町別 地方交付税交付額", "総務部 > 市町行財政課", "令和5年7月28日", ["市町", "普通交付税（千円）", "特別交付税（千円）"], ["sjis", "xlsx-title", "pdf"]),
    ("corona", "/YAKUMUS/HP/m0068000080_00001.htm", "新型コロナウイルス感染症 陽性者数（市町別累計）", "医療保健部 > 感染症対策課", "令和5年5月8日", ["市町", "陽性者数", "うち入院"], ["cp932", "xlsx", "table"]),
]
FOOTNOTES = ["※出典：三重県調べ", "※数値は速報値であり、今後変更される場合があります。"]
CONTENT_ID = [1100200]
def next_href(ext):
    CONTENT_ID[0] += 1
    return f"/common/content/{CONTENT_ID[0]:09d}.{ext}"

for n, (cat, path, title, dept, date, cols, kinds) in enumerate(TOPICS):
    munis = MUNIS if n % 3 == 0 else MUNIS[:14]
    rows = [[m] + [rnd.randint(1, 5000) for _ in cols[1:]] for m in munis]
    text_rows = [[str(v) for v in r] for r in rows]
    csv_text = ",".join(cols) + "\n" + "".join(",".join(r) + "\n" for r in text_rows)
    # Half the CSVs end with footnote rows, as Mie's own do.
    if n % 2 == 0:
        csv_text += "".join(f + "," * (len(cols) - 1) + "\n" for f in FOOTNOTES)
    files, table = [], None
    for kind in kinds:
        if kind == "sjis":
            files.append((next_href("csv"), f"{title}（CSV：{len(csv_text.encode('cp932')) // 1024 + 1}KB）", sjis(csv_text)))
        elif kind == "cp932":
            # 髙 (IBM extension) in a footnote makes the file CP932 rather than plain Shift_JIS.
            files.append((next_href("csv"), f"{title}（CSV）", sjis(csv_text + "※髙の字は旧字体で表記しています。" + "," * (len(cols) - 1) + "\n")))
        elif kind == "utf8":
            files.append((next_href("csv"), f"{title}（CSV）", csv_text.encode("utf-8")))
        elif kind == "bom":
            files.append((next_href("csv"), f"{title}（CSV）", b"\xef\xbb\xbf" + csv_text.encode("utf-8")))
        elif kind == "xlsx":
            files.append((next_href("xlsx"), f"{title}（エクセル：{8 + n}KB）", xlsx([cols] + rows)))
        elif kind == "xlsx-title":
            files.append((next_href("xlsx"), f"{title}（Excel）", xlsx([[f"{title}（{date}現在）"], [], cols] + rows + [[FOOTNOTES[0]]],
                                                                        sheets=[("注記", [["項目", "説明"], ["出典", "三重県"]])])))
        elif kind == "pdf":
            files.append((next_href("pdf"), f"{title}（PDF：{40 + n}KB）", pdf(f"Mie Prefecture data {n}")))
        elif kind == "table":
            table = [cols] + text_rows[:5]
    # A page of the duplicated kind links its first file twice.
    if n % 5 == 0:
        files.append((files[0][0], files[0][1], None))
    page(cat, path, title, dept, date, f"{title}のデータです。三重県が公開しているオープンデータです。", files, table)

# The ZIP holds a CSV.
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w") as zf:
    Fixed(zf).writestr("measure.csv", "測定局,年,値\n四日市,2023,0.012\n")
FILES = {"/common/content/001100080.zip": zbuf.getvalue()}

def layout(title, crumbs, body, dept=None, date=None):
    crumb = " &gt; ".join(f'<a href="{h}">{t}</a>' for h, t in crumbs) + f" &gt; {title}"
    tail = ""
    if date:
        tail += f'<p class="update">最終更新日：{date.translate(FW)}</p>'
    if dept:
        tail += f'<div class="section"><p>担当所属：<a href="/SOSHIKI/index.htm">県庁の組織一覧</a> &gt; {dept}</p></div>'
    return f'''<!DOCTYPE html>
<html lang="ja"><head><meta charset="UTF-8"><title>{title} - 三重県</title></head>
<body>
<div id="header"><a href="/index.html">三重県</a> <a href="https://www.facebook.com/share">facebook</a></div>
<div id="breadcrumb">現在位置：{crumb}</div>
<div id="main">
<h1>{title}</h1>
<div id="content">{body}</div>
{tail}
</div>
<div id="footer"><a href="/privacy.html">プライバシー</a> 三重県庁 〒514-8570 津市広明町13番地</div>
</body></html>
'''

top = [("/index.html", "トップページ")]
cat_pages = {c: [] for c in CATEGORIES}
for cat, path, title, dept, date, notes, files, table in PAGES:
    cat_pages[cat].append((path, title))
    items = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t, _ in files)
    body = f"<p>{notes}</p>" + (f"<h2>データ</h2><ul>{items}</ul>" if items else "")
    if table:
        head = "".join(f"<th>{c}</th>" for c in table[0])
        rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in table[1:])
        body += f'<table><caption>{title}</caption><tr>{head}</tr>{rows}</table>'
    write(path, layout(title, top + [(f"/{cat}/index.html", CATEGORIES[cat])], body, dept, date))
    for href, _, data in files:
        if data is not None and href.startswith("/"):
            write(href, data)
for href, data in FILES.items():
    write(href, data)

for cat, label in CATEGORIES.items():
    items = "".join(f'<li><a href="{p}">{t}</a></li>' for p, t in cat_pages[cat])
    write(f"/{cat}/index.html", layout(label, top, f"<p>{label}に関するオープンデータです。</p><ul>{items}</ul>"))
cats = "".join(f'<li><a href="/{c}/index.html">{t}</a></li>' for c, t in CATEGORIES.items())
write("/index.html", layout("オープンデータ一覧", [], f"<p>三重県が公開しているオープンデータのカテゴリ一覧です。</p><ul>{cats}</ul><p><a href='/private/drafts.html'>準備中</a></p>"))
write("/private/drafts.html", layout("準備中", top, '<p>公開前。</p><a href="/common/content/000000001.csv">下書き</a>'))
write("/common/content/000000001.csv", "a,b\n1,2\n")
write("/robots.txt", "User-agent: *\nDisallow: /private/\n")
print(f"{len(PAGES)} department pages written to {ROOT}")
