#!/usr/bin/env python3
"""Writes shelters.xls, a real Excel 97-2003 (BIFF8) workbook, with xlwt (Debian: python3-xlwt).

The same table as the XLSX test in TableIngestorTests: a title row, a blank row, the header, three rows (a date
cell, full-width digits, a 和暦 date as text, ▲ minus), a footnote; and a second sheet that is a one-column note.
Run: /usr/bin/python3 make-shelters-xls.py  (the file is committed; run again only to change it)
"""
import datetime
import os
import xlwt

book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("避難所")
date = xlwt.easyxf(num_format_str="yyyy/mm/dd")
rows = [
    ["令和5年度 避難所一覧"],
    [],
    ["名称", "収容人数", "開設日", "面積", "公開"],
    ["一身田小学校", 1200, datetime.date(2023, 4, 1), 123.5, True],
    ["白子公民館", "３５０", "令和5年5月1日", 88, False],
    ["防災倉庫", "▲12", datetime.date(2019, 4, 30), 0.5, True],
    ["＊単位：人"],
]
for r, row in enumerate(rows):
    for c, value in enumerate(row):
        if isinstance(value, datetime.date):
            sheet.write(r, c, value, date)
        else:
            sheet.write(r, c, value)
notes = book.add_sheet("注記")
notes.write(0, 0, "この表は防災対策部が作成しました。")
book.save(os.path.join(os.path.dirname(os.path.abspath(__file__)), "shelters.xls"))
