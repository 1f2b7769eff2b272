"""Building a county-year's template from its catalogue: the indicator and progress sheets
(reference cells locked, input cells open, drop-down lists, A4 landscape), the lines for who
filled it in, and a hidden sheet with the county, the year, the version and what every row
held when it was downloaded."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.rules import entry_hint

from ..catalogue import (
    META_SHEET,
    PROGRESS_STATUSES,
    TEMPLATE_VERSION,
    WITHDRAW,
    Catalogue,
)
from ..reporting import plain
from .cells import number_cell, reported_cell, write_cell
from .columns import BASE_ROW, FIRST_ROW, HEADER_ROW, INDICATOR, PROGRESS, SIGNATURE, Table

_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_PARENT_FILL = PatternFill("solid", fgColor="E7E6E6")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def build_template(catalogue: Catalogue, *, generated_at: datetime) -> bytes:
    """The .xlsx template of a county-year, as bytes."""
    workbook = Workbook()
    indicators = workbook.active
    indicators.title = INDICATOR.sheet
    _indicator_sheet(indicators, catalogue)
    _progress_sheet(workbook.create_sheet(PROGRESS.sheet), catalogue)
    _meta_sheet(workbook.create_sheet(META_SHEET), catalogue, generated_at)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _meta_sheet(meta, catalogue: Catalogue, generated_at: datetime) -> None:
    for row, (key, value) in enumerate(
        [
            ("county", catalogue.area_code),
            ("year", str(catalogue.year)),
            ("version", TEMPLATE_VERSION),
            ("generated_at", generated_at.isoformat(timespec="seconds")),
        ],
        start=1,
    ):
        write_cell(meta.cell(row=row, column=1), key)
        write_cell(meta.cell(row=row, column=2), value)
    # What the template was filled with when it was downloaded: a row left as it was then is
    # not a change, even if someone changed the record since (see reporting.plan).
    write_cell(meta.cell(row=BASE_ROW - 1, column=1), "downloaded")
    rows = [
        ["value", line.code, line.current.reported_text, line.current.choice, line.current.note]
        for line in catalogue.indicators
        if line.current is not None and not line.is_parent
    ] + [
        ["progress", line.key, line.current.status, plain(line.current.amount), line.current.note]
        for line in catalogue.progress
        if line.current is not None
    ]
    for row, values in enumerate(rows, start=BASE_ROW):
        for column, value in enumerate(values, start=1):
            write_cell(meta.cell(row=row, column=column), value)
    meta.protection.sheet = True
    meta.sheet_state = "veryHidden"


def _sheet_frame(sheet, title: str, note: str, table: Table) -> None:
    width = len(table)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    write_cell(sheet.cell(row=1, column=1), title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    write_cell(sheet.cell(row=2, column=1), note)
    sheet.cell(row=2, column=1).alignment = _WRAP
    sheet.row_dimensions[2].height = 45
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index)
        write_cell(cell, column.header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _WRAP
        sheet.column_dimensions[table.letter(column.key)].width = column.width
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=3)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Reference cells are locked; staff may still resize columns and rows for reading.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _style_row(sheet, row: int, table: Table, inputs: set[str], *, fill=None) -> None:
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row, column=index)
        cell.border = _BORDER
        cell.alignment = _WRAP
        if column.fills in inputs and fill is None:
            cell.protection = Protection(locked=False)
        else:
            cell.fill = fill or _LOCKED_FILL


def _indicator_sheet(sheet, catalogue: Catalogue) -> None:
    _sheet_frame(
        sheet,
        f"指标填报表：{catalogue.area_name}（{catalogue.area_code}）{catalogue.year}年",
        "白色单元格为填写区：“本年数值”只填数字（可带%，或写下限如≥60）；“状态或是否完成”从下拉"
        "列表选择；有子指标的指标（灰色行）由各子指标填报。留空表示不改动；要撤回已报的数值，在"
        f"“本年数值”或“状态或是否完成”填“{WITHDRAW}”并在备注写明理由。图片等佐证材料请另行提交，"
        "不要插入表格。请勿修改编码、调整列的顺序或合并单元格；表格下方填写填表人、联系电话和日期。"
        f"上年数值为系统中{catalogue.year - 1}年的记录。",
        INDICATOR,
    )
    validations: dict[tuple[str, ...], DataValidation] = {}
    for offset, line in enumerate(catalogue.indicators):
        row = FIRST_ROW + offset
        current = line.current
        values = {
            "code": line.code,
            "name": line.name,
            "unit": line.unit or line.spec.unit,
            "standard": f"{line.standard}\n（{hint}）"
            if (hint := entry_hint(line.rule))
            else line.standard,
            "attribute": line.attribute,
            "previous": line.previous,
            "value": "" if current is None else reported_cell(current.reported_text),
            "choice": "" if current is None else current.choice,
            "note": "" if current is None else current.note,
        }
        for key, value in values.items():
            write_cell(sheet.cell(row=row, column=INDICATOR.index(key)), value)
        if line.is_parent:
            write_cell(sheet.cell(row=row, column=INDICATOR.index("value")), "见子指标")
            _style_row(sheet, row, INDICATOR, set(), fill=_PARENT_FILL)
            continue
        inputs = {"note"}
        if line.spec.number:
            inputs.add("text")
        if line.spec.choices:
            inputs.add("choice")
        _style_row(sheet, row, INDICATOR, inputs)
        if line.spec.choices:
            validation = validations.get(line.spec.choices)
            if validation is None:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join([*line.spec.choices, WITHDRAW]) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="请从列表中选择",
                    error="只能选择列表中的状态",
                )
                sheet.add_data_validation(validation)
                validations[line.spec.choices] = validation
            validation.add(sheet.cell(row=row, column=INDICATOR.index("choice")))
    _signature(sheet, FIRST_ROW + len(catalogue.indicators) + 1)


def _standard_with_hint(line) -> str:
    hint = entry_hint(line.rule)
    return f"{line.standard}\n（{hint}）" if hint else line.standard


def _signature(sheet, first: int) -> None:
    """Lines under the table for who filled the report in (read back with the upload)."""
    for offset, (_, label) in enumerate(SIGNATURE):
        row = first + offset
        label_cell = sheet.cell(row=row, column=INDICATOR.index("code"))
        write_cell(label_cell, label)
        label_cell.font = Font(bold=True)
        entry = sheet.cell(row=row, column=INDICATOR.index("name"))
        entry.protection = Protection(locked=False)
        entry.border = _BORDER


def _progress_sheet(sheet, catalogue: Catalogue) -> None:
    _sheet_frame(
        sheet,
        f"项目进展表：{catalogue.area_name}（{catalogue.area_code}）{catalogue.year}年",
        "列出实施地点涉及本县（市、区）的全部投资明细（含多县共同实施的）。“进展状态”从下拉列表"
        "选择；“累计完成投资”填本县截至本年底完成的金额（万元，不能为负数）。留空表示不改动；要撤回"
        f"已报的进展，“进展状态”选“{WITHDRAW}”并在备注写明理由。请勿修改明细编号。",
        PROGRESS,
    )
    status = DataValidation(
        type="list",
        formula1='"' + ",".join([*PROGRESS_STATUSES, WITHDRAW]) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请从列表中选择",
        error="进展状态只能为：" + "、".join(PROGRESS_STATUSES),
    )
    sheet.add_data_validation(status)
    for offset, line in enumerate(catalogue.progress):
        row = FIRST_ROW + offset
        current = line.current
        values = {
            "key": line.key,
            "domain": line.domain,
            "group": line.group,
            "subcategory": line.subcategory,
            "content": line.content,
            "place": line.place,
            "amount_planned": line.amount,
            "years": line.years,
            "shared_with": line.shared_with,
            "status": "" if current is None else current.status,
            "completed": ""
            if current is None or current.amount is None
            else number_cell(current.amount),
            "progress_note": "" if current is None else current.note,
        }
        for key, value in values.items():
            write_cell(sheet.cell(row=row, column=PROGRESS.index(key)), value)
        _style_row(sheet, row, PROGRESS, {"status", "amount", "note"})
        status.add(sheet.cell(row=row, column=PROGRESS.index("status")))
