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

def xlsx(rows):
    def cell(ref, v):
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"><v>{v}</v></c>'
        v = str(v).replace("&", "&amp;").replace("<", "&lt;")
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
    sheet_rows = "".join(
        f'<row r="{i+1}">' + "".join(cell(f"{chr(65+j)}{i+1}", v) for j, v in enumerate(r)) + "</row>" for i, r in enumerate(rows))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_rows}</sheetData></worksheet>')
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

CATEGORIES = {"bousai": "防災・災害", "toukei": "統計", "kenkou": "健康・保健・医療・福祉", "shisetsu": "施設情報", "kankyo": "環境", "kankou": "文化・教育・観光"}

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

# The ZIP holds a CSV.
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w") as z:
    z.writestr("measure.csv", "測定局,年,値\n四日市,2023,0.012\n")
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
