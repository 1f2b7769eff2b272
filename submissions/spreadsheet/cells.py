"""One cell at a time: what a person saw in a cell, and how the product writes one.

Reading takes what the cell *shows* in Excel, WPS or LibreOffice: a real percentage format
means the cell holds a fraction (Excel keeps 96.5% as 0.965) while a literal percent sign in a
format (`0.00"%"`, `0.00\\%`) does not; a number another program wrote with binary noise is
taken to Excel's 15 significant digits; a formula is recognised by the cell's type (array,
data-table and shared formulas included), never by a text that merely begins with `=`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from ..reporting import NUMBER_PLACES, InputError, plain, read_number

_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


class FormulaCell(InputError):
    """The cell holds a formula; the message says what to do instead."""


def is_percent_format(number_format: str | None) -> bool:
    """A real percentage format (`0.0%`): the cell holds a fraction. A percent sign that is
    only a literal (`0.00"%"`, `0.00\\%`) or inside a [condition] does not scale the number."""
    return "%" in _LITERALS.sub("", number_format or "")


def excel_number(value: int | float) -> Decimal:
    """A stored number as Excel shows it: at most 15 significant digits, never an exponent
    (0.30000000000000004 is 0.3, 1e-05 is 0.00001)."""
    return Decimal(f"{value:.15g}")


def _formula_text(cell) -> str | None:
    value = cell.value
    if isinstance(value, ArrayFormula | DataTableFormula):
        return getattr(value, "text", None) or "{数组公式}"
    if cell.data_type == "f" and isinstance(value, str):
        return value
    return None


def displayed(cell, *, letter: str, normalised: list[str]) -> str:
    """The text a person saw in an input cell, to be checked like any reported text.

    `normalised` gets a note when what is read differs from the cell's raw content (a
    percentage format). Raises FormulaCell for a formula (a WPS picture in a cell is one) and
    InputError for a date or a TRUE/FALSE."""
    formula = _formula_text(cell)
    if formula is not None:
        if formula.upper().lstrip("=").removeprefix("_XLFN.").startswith("DISPIMG("):
            raise FormulaCell(
                "cell",
                "单元格里嵌入了图片（WPS 的“嵌入单元格图片”）：图片请作为佐证材料另行提交，"
                "本单元格只填文字或数值",
            )
        raise FormulaCell(
            "cell",
            f"单元格是公式（{formula[:30]}），系统不读取公式：请改为直接填写数值"
            "（可复制后“选择性粘贴 → 数值”）",
        )
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        shown = "TRUE" if value else "FALSE"
        raise InputError("cell", f"应为数字或文字，实际为逻辑值“{shown}”")
    if isinstance(value, int | float):
        number = excel_number(value)
        if is_percent_format(cell.number_format):
            number = number * 100
            normalised.append(f"{letter}列“{plain(number)}%”（百分比格式）按 {plain(number)} 读取")
        return plain(number)
    if isinstance(value, str):
        return value.strip()
    raise InputError("cell", "应为数字或文字，实际为日期或时间：请把单元格格式设为“常规”后重新填写")


def write_cell(cell, value) -> None:
    """Write a value as what it is: a text stays a text cell even when it begins with `=`
    (openpyxl would make it a formula), numbers stay numbers, and characters no workbook can
    hold are dropped."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        return
    cell.value = value


def number_cell(value: Decimal) -> float | int:
    """A number written as a number cell, so that Excel and WPS treat it as one."""
    return int(value) if value == value.to_integral_value() else float(value)


def reported_cell(text: str) -> float | int | str:
    """A reported value as the template shows it: a plain number as a number cell, anything
    else (a bound such as `≥60`) as the text it was reported as."""
    try:
        sign, number, canonical = read_number(text, places=NUMBER_PLACES)
    except InputError:
        return text
    if number is None or sign or canonical != text:
        return text
    return number_cell(number)
