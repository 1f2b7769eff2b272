"""Builds the corpus of county files from `openpyxl-filled.xlsx` (a 交城县 2025 template, filled
as in tests/submissions/test_spreadsheet_corpus.py). Run by hand, results committed; CI only
reads them:

    python tests/submissions/corpus/make_corpus.py

The LibreOffice files were made from openpyxl-filled.xlsx with LibreOffice 7 (Debian
`libreoffice-calc-nogui`), which CI does not install:

    soffice --headless --convert-to xlsx:"Calc MS Excel 2007 XML" openpyxl-filled.xlsx
        → libreoffice-resaved.xlsx
    soffice --headless --convert-to xls openpyxl-filled.xlsx → libreoffice.xls
    soffice --headless --convert-to ods openpyxl-filled.xlsx → libreoffice.ods
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

HERE = Path(__file__).resolve().parent
BASE = HERE / "openpyxl-filled.xlsx"
VALUE, CHOICE, NOTE = 7, 8, 9  # G, H, I: as in submissions/spreadsheet/columns.py


def _edit(name: str, change) -> None:
    workbook = load_workbook(BASE)
    sheet = workbook["指标填报"]
    rows = {str(sheet.cell(row=r, column=1).value): r for r in range(4, sheet.max_row + 1)}
    change(sheet, rows)
    workbook.save(HERE / name)


def _rezip(name: str, rewrite: dict[str, callable], add: dict[str, bytes] | None = None) -> None:
    source = zipfile.ZipFile(BASE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in rewrite:
                data = rewrite[item.filename](data)
            target.writestr(item, data)
        for filename, data in (add or {}).items():
            target.writestr(filename, data)
    (HERE / name).write_bytes(buffer.getvalue())


def percent_formats(sheet, rows) -> None:
    cell = sheet.cell(row=rows["3"], column=VALUE, value=55.34)
    cell.number_format = '0.00"%"'  # shows 55.34%, holds 55.34
    cell = sheet.cell(row=rows["22"], column=VALUE, value=4.6)
    cell.number_format = "0.0\\%"  # shows 4.6%, holds 4.6
    cell = sheet.cell(row=rows["28"], column=VALUE, value=0.965)
    cell.number_format = "0.0%"  # a real percentage: shows 96.5%, holds 0.965


def float_noise(sheet, rows) -> None:
    sheet.cell(row=rows["22"], column=VALUE, value=0.1 + 0.2)  # 0.30000000000000004
    sheet.cell(row=rows["28"], column=VALUE, value=96.49999999999999)


def formatted_to_3000(sheet, rows) -> None:
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(4, 3001):
        sheet.cell(row=row, column=NOTE).fill = fill


def header_spaces(sheet, rows) -> None:
    sheet.cell(row=3, column=VALUE, value=" 本年\n数值 ")
    sheet.cell(row=3, column=NOTE, value="备　注")


def freeform_signature(sheet, rows) -> None:
    for label in ("填表人", "联系电话", "填表日期"):
        sheet.cell(row=rows[label], column=1).value = None
        sheet.cell(row=rows[label], column=2).value = None
    sheet.cell(row=rows["填表人"], column=1, value="填表人：李强    联系电话：13912345678")
    sheet.cell(row=rows["填表日期"], column=1, value="填表日期：2026年1月8日")


def wps_picture(sheet, rows) -> None:
    sheet.cell(row=rows["29"], column=NOTE, value='=_xlfn.DISPIMG("ID_8A0F2C",1)')


def array_formula(sheet, rows) -> None:
    coordinate = sheet.cell(row=rows["30"], column=VALUE).coordinate
    sheet[coordinate] = ArrayFormula(coordinate, "=SUM(F4:F5)")


def text_equals(sheet, rows) -> None:
    cell = sheet.cell(row=rows["29"], column=NOTE)
    cell.value = "=详见附件3"
    cell.data_type = "s"  # typed as text (after a ' in Excel, or a text-formatted cell)


def boolean(sheet, rows) -> None:
    sheet.cell(row=rows["28"], column=VALUE, value=True)


def main() -> None:
    _edit("percent-formats.xlsx", percent_formats)
    _edit("float-noise.xlsx", float_noise)
    _edit("formatted-to-row-3000.xlsx", formatted_to_3000)
    _edit("header-spaces.xlsx", header_spaces)
    _edit("freeform-signature.xlsx", freeform_signature)
    _edit("wps-picture-in-cell.xlsx", wps_picture)
    _edit("array-formula.xlsx", array_formula)
    _edit("text-beginning-with-equals.xlsx", text_equals)
    _edit("boolean-cell.xlsx", boolean)
    # WPS: a wrong <dimension>, custom document properties, every string inline.
    custom = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2"'
        b' name="KSOProductBuildVer">'
        b"<vt:lpwstr>2052-12.1.0.16250</vt:lpwstr></property></Properties>"
    )
    _rezip(
        "wps-shaped.xlsx",
        {
            "xl/worksheets/sheet1.xml": lambda d: re.sub(
                rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', d
            ),
            "[Content_Types].xml": lambda d: d.replace(
                b"</Types>",
                b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
            ),
        },
        {"docProps/custom.xml": custom},
    )
    strict = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    transitional = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    _rezip(
        "strict-open-xml.xlsx",
        {
            name: (lambda d: d.replace(transitional, strict))
            for name in ("xl/workbook.xml", "xl/worksheets/sheet1.xml")
        },
    )
    text = "编码,指标名称,本年数值\n28,城镇污水处理率,96.5\n29,农村生活污水治理率,61\n"
    (HERE / "csv-utf8.csv").write_bytes(text.encode("utf-8"))
    (HERE / "csv-utf8-bom.csv").write_bytes(text.encode("utf-8-sig"))
    (HERE / "csv-gbk.csv").write_bytes(text.encode("gbk"))
    # The first 4,096 bytes (what the reader samples) end in the middle of a character.
    for pad in range(3):
        long = (" " * pad + "编码,指标名称\n" + "28,城镇污水处理率\n" * 400).encode("utf-8")
        try:
            long[:4096].decode("utf-8")
        except UnicodeDecodeError:
            break
    (HERE / "csv-sample-cuts-a-character.csv").write_bytes(long)


if __name__ == "__main__":
    main()
