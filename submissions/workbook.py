"""The county spreadsheet: building the template and reading a filled-in copy back.

Plain functions over a `Catalogue` (no ORM). Reading never guesses: a cell is read when its
meaning is certain (full-width digits, `96.5%`, surrounding spaces, thousands separators are
normalised and the normalisation is reported), and every other problem becomes an error that
names the sheet, the row and the column, in Chinese.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from .catalogue import (
    INDICATOR_SHEET,
    META_SHEET,
    PROGRESS_SHEET,
    PROGRESS_STATUSES,
    TEMPLATE_VERSION,
    WITHDRAW,
    Catalogue,
)
from .reporting import (
    NUMBER_PLACES,
    InputError,
    ProgressReport,
    ValueReport,
    plain,
    progress_fields,
    read_number,
    value_fields,
    withdrawal_check,
)

HEADER_ROW = 3
FIRST_ROW = 4
BASE_ROW = 11  # on the hidden sheet: the values as downloaded, one per row from here
INDICATOR_COLUMNS = [
    ("编码", 8),
    ("指标名称", 30),
    ("单位", 10),
    ("指标值（标准）", 26),
    ("属性", 8),
    ("上年数值", 16),
    ("本年数值", 14),
    ("状态或是否完成", 18),
    ("备注", 28),
]
PROGRESS_COLUMNS = [
    ("明细编号", 10),
    ("领域", 8),
    ("重点工程", 22),
    ("子类", 12),
    ("建设内容", 40),
    ("实施地点", 20),
    ("计划投资（万元）", 12),
    ("实施年限", 11),
    ("涉及县数", 8),
    ("进展状态", 10),
    ("累计完成投资（万元）", 14),
    ("备注", 24),
]
# Input columns (1-based): indicator sheet G, H, I; progress sheet J, K, L.
INDICATOR_INPUTS = (7, 8, 9)
PROGRESS_INPUTS = (10, 11, 12)

_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_PARENT_FILL = PatternFill("solid", fgColor="E7E6E6")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


# --------------------------------------------------------------------------------------------
# Building the template


def build_template(catalogue: Catalogue, *, generated_at: datetime) -> bytes:
    workbook = Workbook()
    indicators = workbook.active
    indicators.title = INDICATOR_SHEET
    _indicator_sheet(indicators, catalogue)
    _progress_sheet(workbook.create_sheet(PROGRESS_SHEET), catalogue)
    meta = workbook.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(
        [
            ("county", catalogue.area_code),
            ("year", str(catalogue.year)),
            ("version", TEMPLATE_VERSION),
            ("generated_at", generated_at.isoformat(timespec="seconds")),
        ],
        start=1,
    ):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=value)
    # What the template was filled with when it was downloaded: a row left as it was then is
    # not a change, even if someone changed the record since (see reporting.plan).
    meta.cell(row=BASE_ROW - 1, column=1, value="downloaded")
    row = BASE_ROW
    for line in catalogue.indicators:
        if line.current is not None and not line.is_parent:
            current = line.current
            for column, value in enumerate(
                ["value", line.code, current.reported_text, current.choice, current.note], 1
            ):
                write_cell(meta.cell(row=row, column=column), value)
            row += 1
    for line in catalogue.progress:
        if line.current is not None:
            current = line.current
            amount = "" if current.amount is None else plain(current.amount)
            for column, value in enumerate(
                ["progress", line.key, current.status, amount, current.note], 1
            ):
                write_cell(meta.cell(row=row, column=column), value)
            row += 1
    meta.protection.sheet = True
    meta.sheet_state = "veryHidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_frame(sheet, title: str, note: str, columns: list[tuple[str, int]]) -> None:
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    sheet.cell(row=2, column=1, value=note).alignment = _WRAP
    sheet.row_dimensions[2].height = 45
    for index, (name, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width
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


def _style_row(sheet, row: int, width: int, inputs: tuple[int, ...], *, fill=None) -> None:
    for column in range(1, width + 1):
        cell = sheet.cell(row=row, column=column)
        cell.border = _BORDER
        cell.alignment = _WRAP
        if column in inputs and fill is None:
            cell.protection = Protection(locked=False)
        else:
            cell.fill = fill or _LOCKED_FILL


def _indicator_sheet(sheet, catalogue: Catalogue) -> None:
    _sheet_frame(
        sheet,
        f"指标填报表：{catalogue.area_name}（{catalogue.area_code}）{catalogue.year}年",
        "白色单元格为填写区：“本年数值”只填数字（可带%，或写下限如≥60）；“状态或是否完成”从下拉列表选择；"
        "有子指标的指标（灰色行）由各子指标填报。留空表示不改动；要撤回已报的数值，在“本年数值”"
        f"或“状态或是否完成”填“{WITHDRAW}”并在备注写明理由。请勿修改编码、调整列的顺序或合并单元格。"
        f"上年数值为系统中{catalogue.year - 1}年的记录。",
        INDICATOR_COLUMNS,
    )
    validations: dict[tuple[str, ...], DataValidation] = {}
    for offset, line in enumerate(catalogue.indicators):
        row = FIRST_ROW + offset
        current = line.current
        values = [
            line.code,
            line.name,
            line.unit,
            line.standard,
            line.attribute,
            line.previous,
            "" if current is None else _cell_value(current.reported_text),
            "" if current is None else current.choice,
            "" if current is None else current.note,
        ]
        for column, value in enumerate(values, start=1):
            write_cell(sheet.cell(row=row, column=column), value)
        if line.is_parent:
            sheet.cell(row=row, column=7, value="见子指标")
            _style_row(sheet, row, len(INDICATOR_COLUMNS), (), fill=_PARENT_FILL)
            continue
        inputs = tuple(
            column
            for column, wanted in ((7, line.spec.number), (8, bool(line.spec.choices)), (9, True))
            if wanted
        )
        _style_row(sheet, row, len(INDICATOR_COLUMNS), inputs)
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
            validation.add(sheet.cell(row=row, column=8))


def _progress_sheet(sheet, catalogue: Catalogue) -> None:
    _sheet_frame(
        sheet,
        f"项目进展表：{catalogue.area_name}（{catalogue.area_code}）{catalogue.year}年",
        "列出实施地点涉及本县（市、区）的全部投资明细（含多县共同实施的）。“进展状态”从下拉列表选择；"
        "“累计完成投资”填本县截至本年底完成的金额（万元，不能为负数）。留空表示不改动；要撤回已报的进展，"
        f"“进展状态”选“{WITHDRAW}”并在备注写明理由。请勿修改明细编号。",
        PROGRESS_COLUMNS,
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
        values = [
            line.key,
            line.domain,
            line.group,
            line.subcategory,
            line.content,
            line.place,
            line.amount,
            line.years,
            line.shared_with,
            "" if current is None else current.status,
            "" if current is None or current.amount is None else _number_cell(current.amount),
            "" if current is None else current.note,
        ]
        for column, value in enumerate(values, start=1):
            write_cell(sheet.cell(row=row, column=column), value)
        _style_row(sheet, row, len(PROGRESS_COLUMNS), PROGRESS_INPUTS)
        status.add(sheet.cell(row=row, column=10))


def write_cell(cell, value) -> None:
    """Write a value as what it is: a text stays a text cell even when it begins with `=`
    (openpyxl would make it a formula), and characters no workbook can hold are dropped."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        cell.data_type = "s"
        return
    cell.value = value


def _number_cell(value: Decimal) -> float | int:
    """A number written as a number cell, so that Excel and WPS treat it as one."""
    return int(value) if value == value.to_integral_value() else float(value)


def _cell_value(text: str) -> float | int | str:
    """A reported value as the template shows it: a plain number as a number cell, anything
    else (a bound such as `≥60`) as the text it was reported as."""
    try:
        sign, number, canonical = read_number(text, places=NUMBER_PLACES)
    except InputError:
        return text
    if number is None or sign or canonical != text:
        return text
    return _number_cell(number)


# --------------------------------------------------------------------------------------------
# Reading an upload


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why, in Chinese."""


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”"
        if self.row is not None:
            where += f" 第{self.row}行"
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


def size_message(size: int, limit: int) -> str:
    return f"文件大小为{size / 1024 / 1024:.1f} MB，超过上限{limit / 1024 / 1024:.0f} MB"


def check_file(content: bytes, *, max_bytes: int, max_uncompressed: int) -> None:
    """Refuse what is not a plain .xlsx workbook, by its content, not by its name."""
    if len(content) > max_bytes:
        raise FileRefused(size_message(len(content), max_bytes))
    if not content:
        raise FileRefused("文件是空的")
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise FileRefused(
            "文件是加密（设置了打开密码）的工作簿或旧版 .xls 文件：请取消密码，"
            "用 Excel“另存为 .xlsx”后再上传"
        )
    if content.startswith(b"%PDF"):
        raise FileRefused("文件是 PDF，不是 Excel 工作簿：请上传从本系统下载的 .xlsx 模板")
    if not content.startswith(b"PK\x03\x04"):
        if _looks_like_text(content):
            raise FileRefused(
                "文件是纯文本（可能是改了扩展名的 CSV），不是 Excel 工作簿：请上传 .xlsx 模板"
            )
        raise FileRefused("文件不是 Excel .xlsx 工作簿，无法读取")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise FileRefused("文件已损坏，无法作为 .xlsx 工作簿打开") from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise FileRefused("文件是压缩包，但不是 Excel 工作簿")
    total = sum(m.file_size for m in members)
    if total > max_uncompressed or any(
        m.compress_size and m.file_size / m.compress_size > 1000 and m.file_size > 1024 * 1024
        for m in members
    ):
        raise FileRefused("文件解压后异常巨大（疑似压缩炸弹），已拒绝")
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        bad = "?"
    if bad:
        raise FileRefused("文件已损坏（压缩数据校验失败），无法读取")


def _looks_like_text(content: bytes) -> bool:
    sample = content[:4096]
    for encoding in ("utf-8", "gbk"):
        try:
            sample.decode(encoding)
            return b"\x00" not in sample
        except UnicodeDecodeError:
            continue
    return False


def read_workbook(content: bytes, catalogue: Catalogue, *, max_rows: int) -> Reading:
    """Read a filled-in template. Raises FileRefused when the file as a whole is not one of
    ours for this county and year; returns every cell-level error otherwise."""
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=False)
    except Exception:  # openpyxl raises many types on malformed parts
        raise FileRefused("文件已损坏或格式不正确，无法作为 .xlsx 工作簿打开") from None
    _check_meta(workbook, catalogue)
    reading = Reading()
    for name in (INDICATOR_SHEET, PROGRESS_SHEET):
        if name not in workbook.sheetnames:
            raise FileRefused(f"缺少工作表“{name}”：请使用本系统下载的模板，不要删除或重命名工作表")
    base = _downloaded(workbook[META_SHEET])
    _read_indicators(workbook[INDICATOR_SHEET], catalogue, reading, max_rows, base)
    _read_progress(workbook[PROGRESS_SHEET], catalogue, reading, max_rows, base)
    return reading


def _downloaded(sheet) -> dict[tuple[str, str], tuple[str, str, str]] | None:
    """What the template held when it was downloaded, by (kind, key); None for a template
    made before it kept this."""
    if sheet.cell(row=BASE_ROW - 1, column=1).value != "downloaded":
        return None
    base = {}
    for cells in sheet.iter_rows(min_row=BASE_ROW, max_col=5, values_only=True):
        if not cells[0]:
            break
        kind, key, *rest = ("" if c is None else str(c) for c in cells)
        base[(kind, key)] = tuple(rest)
    return base


def _check_meta(workbook, catalogue: Catalogue) -> None:
    if META_SHEET not in workbook.sheetnames:
        raise FileRefused("不是本系统下载的模板（缺少模板信息）：请重新下载模板后填写")
    sheet = workbook[META_SHEET]
    meta = {
        str(sheet.cell(row=r, column=1).value): sheet.cell(row=r, column=2).value
        for r in range(1, 5)
    }
    if meta.get("version") != TEMPLATE_VERSION:
        raise FileRefused("模板版本已过期：请重新下载最新模板后填写")
    if str(meta.get("county")) != catalogue.area_code:
        raise FileRefused(
            f"这是{meta.get('county')}的模板，不能上传到{catalogue.area_name}（{catalogue.area_code}）"
        )
    if str(meta.get("year")) != str(catalogue.year):
        raise FileRefused(f"这是{meta.get('year')}年的模板，不能上传到{catalogue.year}年")


def _check_frame(
    sheet, name: str, columns: list[tuple[str, int]], reading: Reading, max_rows: int
) -> bool:
    if sheet.max_column > len(columns) + 20:
        raise FileRefused(
            f"工作表“{name}”有{sheet.max_column}列，远多于模板的{len(columns)}列："
            "请使用本系统的模板，不要在右侧添加内容"
        )
    if sheet.max_row > max_rows + FIRST_ROW:
        raise FileRefused(
            f"工作表“{name}”有{sheet.max_row}行，超过上限{max_rows}行：请只填写模板中已有的行"
        )
    ok = True
    for index, (expected, _) in enumerate(columns, start=1):
        actual = sheet.cell(row=HEADER_ROW, column=index).value
        if (actual or "") != expected:
            reading.errors.append(
                CellError(
                    name,
                    HEADER_ROW,
                    get_column_letter(index),
                    f"表头应为“{expected}”，实际为“{actual or ''}”（请勿增删或调整列的顺序）",
                )
            )
            ok = False
    for merged in sheet.merged_cells.ranges:
        if merged.max_row >= HEADER_ROW:
            rows = (
                f"{merged.min_row}"
                if merged.min_row == merged.max_row
                else f"{merged.min_row}–{merged.max_row}"
            )
            reading.errors.append(
                CellError(
                    name, None, None, f"第{rows}行 {merged.coord} 是合并单元格：请取消合并后再上传"
                )
            )
            ok = False
    return ok


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Formula(str):
    """A cell that holds a formula (its text), as opposed to a text that begins with `=`."""


def _is_formula(value) -> bool:
    return isinstance(value, _Formula | ArrayFormula | DataTableFormula)


def _formula(sheet_name: str, row: int, column: int, value, reading: Reading) -> bool:
    if _is_formula(value):
        text = getattr(value, "text", value)
        reading.errors.append(
            CellError(
                sheet_name,
                row,
                get_column_letter(column),
                f"单元格是公式（{str(text)[:30]}），系统不读取公式：请改为直接填写数值",
            )
        )
        return True
    return False


_QUOTED = re.compile(r'"[^"]*"|\\.')


def is_percent_format(number_format: str | None) -> bool:
    """A real percentage format (`0.0%`): Excel then keeps 96.5% as 0.965. A percent sign
    that is only a literal (`0.00"%"`, `0.00\\%`) does not scale the number."""
    return "%" in _QUOTED.sub("", number_format or "")


def cell_input(value, number_format: str | None, *, letter: str, normalised: list[str]) -> str:
    """The text a person sees in an input cell, to be checked like any reported text.
    Raises InputError for a cell that holds no text or number (a date, a TRUE/FALSE)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise InputError("cell", f"应为数字或文字，实际为逻辑值“{'TRUE' if value else 'FALSE'}”")
    if isinstance(value, int | float):
        # 15 significant digits: what Excel shows of a number another program wrote with
        # binary noise (0.30000000000000004 is 0.3).
        number = Decimal(f"{value:.15g}")
        if is_percent_format(number_format):
            number = number * 100
            normalised.append(f"{letter}列“{plain(number)}%”（百分比格式）按 {plain(number)} 读取")
        return plain(number)
    if isinstance(value, str):
        return value.strip()
    raise InputError("cell", f"应为数字或文字，实际为{type(value).__name__}（如日期）")


def _rows(sheet):
    """(row number, cell values, number formats) of every data row."""
    for cells in sheet.iter_rows(min_row=FIRST_ROW):
        values = [
            _Formula(cell.value)
            if cell.data_type == "f" and isinstance(cell.value, str)
            else cell.value
            for cell in cells
        ]
        formats = [getattr(cell, "number_format", "General") for cell in cells]
        yield cells[0].row, values, formats


def _keyed_rows(sheet, name: str, width: int, reading: Reading, lookup, *, unknown, duplicate):
    """The data rows of a sheet whose first cell names a known, not yet seen key, as
    (row, values, number formats, key, catalogue line); values and formats are padded to the
    template's width. Content beyond the template's columns, unknown and repeated keys are
    reported."""
    seen: dict[str, int] = {}
    for row, values, formats in _rows(sheet):
        if all(_cell_text(v) == "" for v in values):
            continue
        for column in range(width + 1, len(values) + 1):
            if _cell_text(values[column - 1]):
                text = _cell_text(values[column - 1])[:20]
                letter = get_column_letter(column)
                reading.errors.append(CellError(name, row, letter, f"模板之外的列有内容“{text}”"))
        key = _cell_text(values[0])
        line = lookup(key)
        if line is None:
            reading.errors.append(CellError(name, row, "A", unknown(key)))
            continue
        if key in seen:
            reading.errors.append(CellError(name, row, "A", duplicate(key, seen[key])))
            continue
        seen[key] = row
        yield row, values + [None] * width, formats + ["General"] * width, key, line


VALUE_COLUMNS = {"text": "G", "choice": "H", "note": "I"}
PROGRESS_INPUT_COLUMNS = {"status": "J", "amount": "K", "note": "L"}


def _inputs(
    name: str, row: int, values, formats, columns: dict[str, str], reading: Reading
) -> tuple[dict[str, str], list[str]] | None:
    """The input cells of a row as texts (None when one cannot be read: error recorded)."""
    normalised: list[str] = []
    texts = {}
    for (key, letter), value, number_format in zip(columns.items(), values, formats, strict=True):
        column = column_index_from_string(letter)
        if _formula(name, row, column, value, reading):
            return None
        try:
            texts[key] = cell_input(value, number_format, letter=letter, normalised=normalised)
        except InputError as error:
            reading.errors.append(CellError(name, row, letter, error.message))
            return None
    return texts, normalised


def _read_indicators(
    sheet, catalogue: Catalogue, reading: Reading, max_rows: int, base=None
) -> None:
    name = INDICATOR_SHEET
    if not _check_frame(sheet, name, INDICATOR_COLUMNS, reading, max_rows):
        return
    width = len(INDICATOR_COLUMNS)
    for row, values, formats, code, line in _keyed_rows(
        sheet,
        name,
        width,
        reading,
        catalogue.indicator,
        unknown=lambda key: f"未知的指标编码“{key}”",
        duplicate=lambda key, first: f"指标“{key}”重复出现（第{first}行已有）",
    ):
        read = _inputs(name, row, values[6:9], formats[6:9], VALUE_COLUMNS, reading)
        if read is None:
            continue
        texts, normalised = read
        if line.is_parent:
            if texts["text"] not in {"", "见子指标"} or texts["choice"]:
                reading.errors.append(
                    CellError(name, row, "G", f"指标{code}由子指标填报，本行不需要填写")
                )
            continue
        try:
            report = _value_report(code, line.spec, texts, normalised)
            if report is not None and base is not None:
                report = replace(report, base=base.get(("value", code), ("", "", "")))
        except InputError as error:
            letter = VALUE_COLUMNS.get(error.field, "G")
            reading.errors.append(CellError(name, row, letter, error.message))
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
    if text and shown and shown != text:
        normalised.append(f"G列“{text}”按 {shown} 读取")
    cleaned = choice.replace(" ", "").replace("\u3000", "")
    if cleaned != choice:
        normalised.append(f"H列“{choice}”按“{cleaned}”读取")
    return report


def _read_progress(sheet, catalogue: Catalogue, reading: Reading, max_rows: int, base=None) -> None:
    name = PROGRESS_SHEET
    if not _check_frame(sheet, name, PROGRESS_COLUMNS, reading, max_rows):
        return
    width = len(PROGRESS_COLUMNS)
    for row, values, formats, key, line in _keyed_rows(
        sheet,
        name,
        width,
        reading,
        catalogue.progress_line,
        unknown=lambda key: f"投资明细“{key}”不存在或不涉及{catalogue.area_name}",
        duplicate=lambda key, first: f"投资明细“{key}”重复出现（第{first}行已有）",
    ):
        read = _inputs(name, row, values[9:12], formats[9:12], PROGRESS_INPUT_COLUMNS, reading)
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
                    normalised.append(f"K列“{amount}”按 {plain(fields.completed_amount)} 读取")
        except InputError as error:
            letter = PROGRESS_INPUT_COLUMNS.get(error.field, "J")
            reading.errors.append(CellError(name, row, letter, error.message))
            continue
        reading.progress.append(ProgressEntry(row, key, report, normalised))
