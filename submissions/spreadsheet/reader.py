"""Reading a filled-in template back: every input cell as the person saw it, checked by the
same functions as every other route (reporting.py), each problem named by sheet, row, column
and indicator, in Chinese. Plain functions over a `Catalogue` (no ORM). Reading never guesses:
what it normalises (full-width digits, `96.5%`, spaces, thousands separators) it reports."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace

from openpyxl import load_workbook
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from ..catalogue import META_SHEET, TEMPLATE_VERSION, WITHDRAW, Catalogue
from ..reporting import (
    InputError,
    ProgressReport,
    ValueReport,
    plain,
    progress_fields,
    value_fields,
    withdrawal_check,
)
from .cells import displayed
from .columns import BASE_ROW, HEADER_ROW, INDICATOR, PROGRESS, SIGNATURE, Table
from .files import FileRefused


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    message: str
    subject: str = ""  # the indicator or investment row the cell belongs to

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”"
        if self.row is not None:
            where += f" 第{self.row}行"
        if self.subject:
            where += f"（{self.subject}）"
        if self.column:
            where += f" {self.column}列"
        return f"{where}：{self.message}"


@dataclass
class IndicatorEntry:
    """A data row of the indicator sheet: its report, or None when its input cells are blank."""

    row: int
    code: str
    report: ValueReport | None
    normalised: list[str] = field(default_factory=list)


@dataclass
class ProgressEntry:
    row: int
    key: str
    report: ProgressReport | None
    normalised: list[str] = field(default_factory=list)


@dataclass
class Reading:
    indicators: list[IndicatorEntry] = field(default_factory=list)
    progress: list[ProgressEntry] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    signature: dict[str, str] = field(default_factory=dict)  # filled_by, phone, filled_on

    @property
    def rejected_rows(self) -> int:
        return len({(e.sheet, e.row) for e in self.errors if e.row is not None})

    def value_reports(self) -> list[ValueReport]:
        return [e.report for e in self.indicators if e.report is not None]

    def value_rows(self) -> list[int]:
        return [e.row for e in self.indicators if e.report is not None]

    def progress_reports(self) -> list[ProgressReport]:
        return [e.report for e in self.progress if e.report is not None]

    def progress_rows(self) -> list[int]:
        return [e.row for e in self.progress if e.report is not None]


CORRUPT = "文件已损坏或格式不正确，无法作为 .xlsx 工作簿打开：请用 Excel 或 WPS 打开后重新保存"


def read_workbook(content: bytes, catalogue: Catalogue, *, max_rows: int) -> Reading:
    """Read a filled-in template. Raises FileRefused when the file as a whole is not one of
    ours for this county and year; returns every cell-level error otherwise.

    The workbook is opened read-only (streamed) and each sheet is read once, row by row:
    memory stays flat whatever the number of rows. Read-only mode keeps each cell's value, type
    and number format (all a cell's reading needs, see cells.displayed); merged ranges, which
    it does not keep, are read from the sheet's XML (`_merged_ranges`)."""
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, rich_text=False
        )
    except Exception:  # openpyxl raises many types on malformed parts
        raise FileRefused(CORRUPT) from None
    try:
        return _read_open_workbook(workbook, catalogue, max_rows)
    finally:
        workbook.close()


def _read_open_workbook(workbook, catalogue: Catalogue, max_rows: int) -> Reading:
    if META_SHEET not in workbook.sheetnames:
        raise FileRefused("不是本系统下载的模板（缺少模板信息）：请重新下载模板后填写")
    meta_rows = [values for _, values in _sheet_rows(workbook[META_SHEET], values_only=True)]
    _check_meta(meta_rows, catalogue)
    for table in (INDICATOR, PROGRESS):
        if table.sheet not in workbook.sheetnames:
            raise FileRefused(
                f"缺少工作表“{table.sheet}”：请使用本系统下载的模板，不要删除或重命名工作表"
            )
    reading = Reading()
    base = _downloaded(meta_rows)
    _read_indicators(workbook[INDICATOR.sheet], catalogue, reading, max_rows, base)
    _read_progress(workbook[PROGRESS.sheet], catalogue, reading, max_rows, base)
    return reading


def _sheet_rows(sheet, *, min_row: int = 1, values_only: bool = False):
    """(row number, cells or values) of every row of a read-only sheet from `min_row`, in one
    pass over its XML. The dimension the file declares is ignored (some programs write a
    wrong one, which would cut rows off); a sheet whose XML breaks off is a damaged file."""
    sheet.reset_dimensions()
    rows = sheet.iter_rows(min_row=min_row, values_only=values_only)
    number = min_row
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception:  # the XML parser's and openpyxl's errors on a damaged sheet
            raise FileRefused(CORRUPT) from None
        yield number, cells
        number += 1


def _cell_value(rows: list, row: int, column: int):
    """A value of rows read with `_sheet_rows(values_only=True)`, 1-based; None outside."""
    if row > len(rows) or column > len(rows[row - 1]):
        return None
    return rows[row - 1][column - 1]


def _downloaded(rows: list) -> dict[tuple[str, str], tuple[str, str, str]] | None:
    """What the template held when it was downloaded, by (kind, key); None for a template
    made before it kept this."""
    if _cell_value(rows, BASE_ROW - 1, 1) != "downloaded":
        return None
    base = {}
    for values in rows[BASE_ROW - 1 :]:
        cells = (tuple(values[:5]) + (None,) * 5)[:5]
        if not cells[0]:
            break
        kind, key, *rest = ("" if c is None else str(c) for c in cells)
        base[(kind, key)] = tuple(rest)
    return base


def _check_meta(rows: list, catalogue: Catalogue) -> None:
    meta = {str(_cell_value(rows, r, 1)): _cell_value(rows, r, 2) for r in range(1, 5)}
    if meta.get("version") != TEMPLATE_VERSION:
        raise FileRefused("模板版本已过期：请重新下载最新模板后填写")
    county = str(meta.get("county"))
    if county != catalogue.area_code:
        other = catalogue.area_names.get(county, county)
        raise FileRefused(
            f"这是{other}的模板，不能上传到{catalogue.area_name}：请下载{catalogue.area_name}"
            f"{catalogue.year}年的模板后填写"
        )
    if str(meta.get("year")) != str(catalogue.year):
        raise FileRefused(
            f"这是{catalogue.area_name}{meta.get('year')}年的模板，不能上传到{catalogue.year}年："
            f"请下载{catalogue.year}年的模板后填写"
        )


def _same_header(actual, expected: str) -> bool:
    # Editors leave spaces, line breaks and full-width spaces in headers.
    return "".join(str(actual or "").split()) == "".join(expected.split())


def _check_header(cells, table: Table, reading: Reading) -> bool:
    ok = True
    for index, column in enumerate(table.columns, start=1):
        actual = cells[index - 1].value if index <= len(cells) else None
        if not _same_header(actual, column.header):
            reading.errors.append(
                CellError(
                    table.sheet,
                    HEADER_ROW,
                    get_column_letter(index),
                    f"表头应为“{column.header}”，实际为“{actual or ''}”（请勿增删或调整列的顺序）",
                )
            )
            ok = False
    return ok


_MERGE_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=[\"']([^\"']+)[\"']")


def _merged_ranges(sheet) -> list[CellRange]:
    """The merged ranges of a read-only sheet, from its XML (`<mergeCells>` follows the cell
    data; read-only openpyxl does not keep them). Any namespace prefix is accepted (WPS and
    LibreOffice write none, other generators `x:`)."""
    # The sheet's part in the archive: openpyxl's read-only sheet keeps both privately.
    data = sheet.parent._archive.read(sheet._worksheet_path)
    tail = data[max(data.rfind(b"sheetData>"), 0) :]
    ranges = []
    for ref in _MERGE_CELL.findall(tail):
        try:
            ranges.append(CellRange(ref.decode("ascii", "replace")))
        except (ValueError, TypeError):
            continue  # not a range: nothing Excel would show merged
    return ranges


def _check_merged(sheet, table: Table, reading: Reading) -> bool:
    ok = True
    for merged in _merged_ranges(sheet):
        if merged.max_row >= HEADER_ROW:
            rows = (
                f"{merged.min_row}"
                if merged.min_row == merged.max_row
                else f"{merged.min_row}–{merged.max_row}"
            )
            reading.errors.append(
                CellError(
                    table.sheet,
                    None,
                    None,
                    f"第{rows}行 {merged.coord} 是合并单元格：请取消合并后再上传",
                )
            )
            ok = False
    return ok


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_LABEL = re.compile(
    r"^\s*(填表人|联系人|联系电话|电话|手机|填表日期|填报日期|日期|审核人|负责人|单位)"
)
_PAIRS = re.compile(
    r"(填表人|联系人|联系电话|电话|手机|填表日期|填报日期|日期)\s*[:：]?\s*([^\s:：]*)"
)
_SIGNATURE_KEYS = {
    "填表人": "filled_by",
    "联系人": "filled_by",
    "联系电话": "phone",
    "电话": "phone",
    "手机": "phone",
    "填表日期": "filled_on",
    "填报日期": "filled_on",
    "日期": "filled_on",
}
assert {key for key, _ in SIGNATURE} <= set(_SIGNATURE_KEYS.values())


def _signature_line(cells, reading: Reading) -> bool:
    """A line a clerk adds under the table (填表人、联系电话、日期 …): recorded with the upload,
    never an error. Returns whether the row was one."""
    first = _text(cells[0].value)
    if not _LABEL.match(first):
        return False
    texts = [_text(c.value) for c in cells]
    line = " ".join(t for t in texts if t)
    label = first.rstrip(":： ")
    if label in _SIGNATURE_KEYS and len(texts) > 1 and texts[1] and ":" not in first + "：":
        reading.signature.setdefault(_SIGNATURE_KEYS[label], texts[1][:60])
        return True
    for name, value in _PAIRS.findall(line):
        if value:
            reading.signature.setdefault(_SIGNATURE_KEYS[name], value[:60])
    return True


def _filled(value) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def _rows(sheet, table: Table, reading: Reading, max_rows: int):
    """(row number, cells padded to the table's width) of every row that holds data, in one
    pass over the sheet from its header; a wrong header or a merged range is reported (and no
    row is read), content right of the table is reported. Formatted but empty rows do not
    count toward the limit. A sheet with content far right of the table is refused (FileRefused
    once the sheet is read: a file of ours never has any)."""
    width = len(table)
    rows = _sheet_rows(sheet, min_row=HEADER_ROW)
    header = next(rows, (HEADER_ROW, ()))[1]
    ok = _check_header(header, table, reading)
    ok = _check_merged(sheet, table, reading) and ok
    widest = 0
    count = 0
    for row, cells in rows:
        last = next((i for i in range(len(cells), 0, -1) if _filled(cells[i - 1].value)), 0)
        if not last:
            continue
        widest = max(widest, last)
        if not ok:
            continue
        count += 1
        if count > max_rows:
            raise FileRefused(
                f"工作表“{table.sheet}”有内容的行超过上限{max_rows}行：请只填写模板中已有的行"
            )
        for cell in cells[width:last]:
            if _text(cell.value):
                reading.errors.append(
                    CellError(
                        table.sheet,
                        row,
                        cell.column_letter,
                        f"模板之外的列有内容“{_text(cell.value)[:20]}”",
                    )
                )
        padded = cells[:width]
        if len(padded) < width:
            padded = (*padded, *(EMPTY_CELL,) * (width - len(padded)))
        yield row, padded
    if widest > width + 20:
        raise FileRefused(
            f"工作表“{table.sheet}”有{widest}列内容，远多于模板的{width}列："
            "请使用本系统的模板，不要在右侧添加内容"
        )


def _keyed_rows(sheet, table: Table, reading: Reading, max_rows: int, lookup, *, unknown, what):
    """The data rows whose first cell names a known, not yet seen key, as (row, cells, key,
    catalogue line). Clerks' signature lines are read; unknown and repeated keys reported."""
    seen: dict[str, int] = {}
    for row, cells in _rows(sheet, table, reading, max_rows):
        key = _text(cells[0].value)
        line = lookup(key)
        if line is None:
            if not _signature_line(cells, reading):
                reading.errors.append(CellError(table.sheet, row, "A", unknown(key)))
            continue
        if key in seen:
            reading.errors.append(
                CellError(table.sheet, row, "A", f"{what}“{key}”重复出现（第{seen[key]}行已有）")
            )
            continue
        seen[key] = row
        yield row, cells, key, line


def _inputs(table: Table, row: int, cells, reading: Reading, subject: str):
    """The input cells of a row as texts by the field they fill (None when one cannot be
    read: the error is recorded), and the normalisations made."""
    normalised: list[str] = []
    texts = {}
    for column in table.inputs:
        letter = table.letter(column.key)
        cell = cells[table.index(column.key) - 1]
        try:
            texts[column.fills] = displayed(cell, letter=letter, normalised=normalised)
        except InputError as error:
            reading.errors.append(CellError(table.sheet, row, letter, error.message, subject))
            return None
    return texts, normalised


def _read_indicators(sheet, catalogue: Catalogue, reading: Reading, max_rows: int, base) -> None:
    for row, cells, code, line in _keyed_rows(
        sheet,
        INDICATOR,
        reading,
        max_rows,
        catalogue.indicator,
        unknown=lambda key: f"未知的指标编码“{key}”",
        what="指标",
    ):
        subject = f"指标{code} {line.name}"
        read = _inputs(INDICATOR, row, cells, reading, subject)
        if read is None:
            continue
        texts, normalised = read
        if line.is_parent:
            if texts["text"] not in {"", "见子指标"} or texts["choice"]:
                reading.errors.append(
                    CellError(
                        INDICATOR.sheet,
                        row,
                        INDICATOR.letter("value"),
                        f"指标{code}由子指标填报，本行不需要填写",
                        subject,
                    )
                )
            continue
        try:
            report = _value_report(code, line.spec, texts, normalised)
            if report is not None and base is not None:
                report = replace(report, base=base.get(("value", code), ("", "", "")))
        except InputError as error:
            letter = INDICATOR.letter(error.field if error.field in texts else "value")
            reading.errors.append(CellError(INDICATOR.sheet, row, letter, error.message, subject))
            continue
        reading.indicators.append(IndicatorEntry(row, code, report, normalised))


def _value_report(code: str, spec, texts: dict[str, str], normalised: list[str]):
    """The row's report (None for blank input cells), checked as every route checks it."""
    text, choice, note = texts["text"], texts["choice"], texts["note"]
    if WITHDRAW in {text.replace(" ", ""), choice.replace(" ", "")}:
        withdrawal_check(note)
        return ValueReport(code, withdraw=True, reason=note)
    if not (text or choice or note):
        return None
    report = ValueReport(code, text, choice, note)
    fields = value_fields(spec, report)
    shown = fields.value_text if fields.number is not None else ""
    value_letter, choice_letter = INDICATOR.letter("value"), INDICATOR.letter("choice")
    if text and shown and shown != text:
        normalised.append(f"{value_letter}列“{text}”按 {shown} 读取")
    cleaned = choice.replace(" ", "").replace("\u3000", "")
    if cleaned != choice:
        normalised.append(f"{choice_letter}列“{choice}”按“{cleaned}”读取")
    return report


def _read_progress(sheet, catalogue: Catalogue, reading: Reading, max_rows: int, base) -> None:
    for row, cells, key, line in _keyed_rows(
        sheet,
        PROGRESS,
        reading,
        max_rows,
        catalogue.progress_line,
        unknown=lambda key: f"投资明细“{key}”不存在或不涉及{catalogue.area_name}",
        what="投资明细",
    ):
        subject = f"投资明细{key} {line.group}"
        read = _inputs(PROGRESS, row, cells, reading, subject)
        if read is None:
            continue
        texts, normalised = read
        status, amount, note = texts["status"], texts["amount"], texts["note"]
        try:
            if status.replace(" ", "") == WITHDRAW:
                withdrawal_check(note)
                report = ProgressReport(line.row_id, withdraw=True, reason=note)
            elif not (status or amount or note):
                report = None
            else:
                downloaded = None if base is None else base.get(("progress", key), ("", "", ""))
                report = ProgressReport(line.row_id, status, amount, note, base=downloaded)
                fields = progress_fields(report)
                if amount and plain(fields.completed_amount) != amount:
                    letter = PROGRESS.letter("amount")
                    normalised.append(
                        f"{letter}列“{amount}”按 {plain(fields.completed_amount)} 读取"
                    )
        except InputError as error:
            letter = PROGRESS.letter(error.field if error.field in texts else "status")
            reading.errors.append(CellError(PROGRESS.sheet, row, letter, error.message, subject))
            continue
        reading.progress.append(ProgressEntry(row, key, report, normalised))
