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
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .catalogue import (
    INDICATOR_SHEET,
    META_SHEET,
    NO,
    PROGRESS_SHEET,
    PROGRESS_STATUSES,
    TEMPLATE_VERSION,
    YES,
    Catalogue,
)

HEADER_ROW = 3
FIRST_ROW = 4
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
        "白色单元格为填写区：“本年数值”只填数字（可带%）；“状态或是否完成”从下拉列表选择；"
        "有子指标的指标（灰色行）由各子指标填报。请勿修改编码、调整列的顺序或合并单元格。"
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
            "" if current is None or current.number is None else _plain(current.number),
            "" if current is None else current.choice,
            "" if current is None else current.note,
        ]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value if value != "" else None)
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
                    formula1='"' + ",".join(line.spec.choices) + '"',
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
        "“累计完成投资”填本县截至本年底完成的金额（万元，不能为负数）。请勿修改明细编号。",
        PROGRESS_COLUMNS,
    )
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(PROGRESS_STATUSES) + '"',
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
            "" if current is None or current.amount is None else _plain(current.amount),
            "" if current is None else current.note,
        ]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value if value != "" else None)
        _style_row(sheet, row, len(PROGRESS_COLUMNS), PROGRESS_INPUTS)
        status.add(sheet.cell(row=row, column=10))


def _plain(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


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
    row: int
    code: str
    number: Decimal | None
    number_text: str
    choice: str
    note: str
    normalised: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.number is None and not self.choice and not self.note


@dataclass
class ProgressEntry:
    row: int
    key: str
    status: str
    amount: Decimal | None
    note: str
    normalised: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.status and self.amount is None and not self.note


@dataclass
class Reading:
    indicators: list[IndicatorEntry] = field(default_factory=list)
    progress: list[ProgressEntry] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({(e.sheet, e.row) for e in self.errors if e.row is not None})


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋％，", "0123456789.-+%,")
_NUMBER = re.compile(r"^[-+]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")


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
    _read_indicators(workbook[INDICATOR_SHEET], catalogue, reading, max_rows)
    _read_progress(workbook[PROGRESS_SHEET], catalogue, reading, max_rows)
    return reading


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


def _formula(sheet_name: str, row: int, column: int, value, reading: Reading) -> bool:
    if isinstance(value, str) and value.startswith("="):
        reading.errors.append(
            CellError(
                sheet_name,
                row,
                get_column_letter(column),
                f"单元格是公式（{value[:30]}），系统不读取公式：请改为直接填写数值",
            )
        )
        return True
    return False


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number(
    value,
    *,
    sheet: str,
    row: int,
    column: int,
    reading: Reading,
    normalised: list[str],
    number_format: str = "General",
    places: int = 4,
) -> tuple[Decimal | None, str, bool]:
    """(number, text as read, ok). `places`: the decimals the database keeps."""
    letter = get_column_letter(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "", True
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        reading.errors.append(CellError(sheet, row, letter, f"应为数字，实际为“{value}”"))
        return None, "", False
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if "%" in (number_format or ""):
            # Excel keeps a typed 96.5% as 0.965 with a percent format.
            number = (number * 100).normalize()
            normalised.append(
                f"{letter}列“{_plain(number)}%”（百分比格式）按 {_plain(number)} 读取"
            )
    else:
        raw = value
        text = raw.strip().translate(_FULL_WIDTH).replace(" ", "")
        if text.endswith("%"):
            text = text[:-1]
        if not _NUMBER.match(text):
            reading.errors.append(CellError(sheet, row, letter, f"应为数字，实际为“{raw}”"))
            return None, "", False
        number = Decimal(text.replace(",", ""))
        if _cell_text(raw) != _plain(number):
            normalised.append(f"{letter}列“{raw}”按 {_plain(number)} 读取")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        reading.errors.append(
            CellError(sheet, row, letter, f"最多保留{places}位小数，实际为{_plain(number)}")
        )
        return None, "", False
    if abs(number) >= Decimal(10) ** 12:
        reading.errors.append(CellError(sheet, row, letter, f"数值过大：{_plain(number)}"))
        return None, "", False
    return number, _plain(number), True


def _rows(sheet):
    """(row number, cell values, number formats) of every data row."""
    for cells in sheet.iter_rows(min_row=FIRST_ROW):
        values = [cell.value for cell in cells]
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


def _read_indicators(sheet, catalogue: Catalogue, reading: Reading, max_rows: int) -> None:
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
        number_value, choice_value, note_value = values[6:9]
        if any(
            _formula(name, row, c, v, reading)
            for c, v in ((7, number_value), (8, choice_value), (9, note_value))
        ):
            continue
        if line.is_parent:
            if _cell_text(number_value) not in {"", "见子指标"} or _cell_text(choice_value):
                reading.errors.append(
                    CellError(name, row, "G", f"指标{code}由子指标填报，本行不需要填写")
                )
            continue
        normalised: list[str] = []
        number, number_text, ok = _number(
            number_value,
            sheet=name,
            row=row,
            column=7,
            reading=reading,
            normalised=normalised,
            number_format=formats[6],
        )
        if not ok:
            continue
        if number is not None and not line.spec.number:
            reading.errors.append(
                CellError(name, row, "G", "本指标不填数值，请在H列选择状态或是否完成")
            )
            continue
        if number is not None and line.spec.percent and not (0 <= number <= 100):
            reading.errors.append(CellError(name, row, "G", f"百分比应在0–100之间，实际为{number}"))
            continue
        choice = _cell_text(choice_value)
        if choice and choice != _cell_text(
            choice_value if isinstance(choice_value, str) else choice
        ):
            pass
        if choice:
            cleaned = choice.replace(" ", "")
            if cleaned != choice:
                normalised.append(f"H列“{choice}”按“{cleaned}”读取")
                choice = cleaned
            if not line.spec.choices:
                reading.errors.append(
                    CellError(name, row, "H", "本指标不选择状态，请在G列填写数值")
                )
                continue
            if choice not in line.spec.choices:
                options = "、".join(f"“{c}”" for c in line.spec.choices)
                reading.errors.append(
                    CellError(name, row, "H", f"应为{options}之一，实际为“{choice}”")
                )
                continue
        note = _cell_text(note_value)
        if len(note) > 500:
            reading.errors.append(
                CellError(name, row, "I", f"备注不能超过500字，实际{len(note)}字")
            )
            continue
        reading.indicators.append(
            IndicatorEntry(row, code, number, number_text, choice, note, normalised)
        )


def _read_progress(sheet, catalogue: Catalogue, reading: Reading, max_rows: int) -> None:
    name = PROGRESS_SHEET
    if not _check_frame(sheet, name, PROGRESS_COLUMNS, reading, max_rows):
        return
    width = len(PROGRESS_COLUMNS)
    for row, values, formats, key, _ in _keyed_rows(
        sheet,
        name,
        width,
        reading,
        catalogue.progress_line,
        unknown=lambda key: f"投资明细“{key}”不存在或不涉及{catalogue.area_name}",
        duplicate=lambda key, first: f"投资明细“{key}”重复出现（第{first}行已有）",
    ):
        status_value, amount_value, note_value = values[9:12]
        if any(
            _formula(name, row, c, v, reading)
            for c, v in ((10, status_value), (11, amount_value), (12, note_value))
        ):
            continue
        normalised: list[str] = []
        status = _cell_text(status_value).replace(" ", "")
        if status and status not in PROGRESS_STATUSES:
            options = "、".join(f"“{s}”" for s in PROGRESS_STATUSES)
            reading.errors.append(
                CellError(name, row, "J", f"应为{options}之一，实际为“{_cell_text(status_value)}”")
            )
            continue
        amount, _, ok = _number(
            amount_value,
            sheet=name,
            row=row,
            column=11,
            reading=reading,
            normalised=normalised,
            number_format=formats[10],
            places=2,
        )
        if not ok:
            continue
        if amount is not None and amount < 0:
            reading.errors.append(
                CellError(name, row, "K", f"累计完成投资不能为负数，实际为{amount}")
            )
            continue
        note = _cell_text(note_value)
        if (amount is not None or note) and not status:
            reading.errors.append(
                CellError(name, row, "J", "填写了完成投资或备注，请同时选择进展状态")
            )
            continue
        reading.progress.append(ProgressEntry(row, key, status, amount, note, normalised))


def choice_fields(choice: str) -> tuple[str, bool | None]:
    """An H-column choice as (state, flag): 是/否 are a yes/no, anything else a state."""
    if choice == YES:
        return "", True
    if choice == NO:
        return "", False
    return choice, None
