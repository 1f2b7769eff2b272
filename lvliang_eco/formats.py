"""Spreadsheet formats of the admin's import/export, with exports that cannot inject formulas.

django-import-export's own escaping only strips a leading `=`; a cell starting with `+`, `-`
or `@` still runs as a formula in Excel. These formats prefix every such text with an
apostrophe instead (plain numbers such as `-4.03` are left alone)."""

from __future__ import annotations

import re

from import_export.formats import base_formats
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?%?$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text starting with = + - @ (or a tab/return) gets a leading apostrophe so that Excel
    shows it as text; plain numbers such as `-4.03` stay as they are. Characters no workbook
    can hold (control characters) are dropped."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_STARTS) or _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def unsafe_cell(value: str) -> str:
    """The text `safe_cell` escaped, as it was: an exported file imports back unchanged."""
    if value.startswith("'") and safe_cell(value[1:]) == value:
        return value[1:]
    return value


class _SafeExport:
    def _escape_formulae(self, dataset) -> None:
        for _ in range(len(dataset)):
            row = dataset.lpop()
            dataset.append([safe_cell(cell) for cell in row])


class XLSX(_SafeExport, base_formats.XLSX):
    pass


class CSV(_SafeExport, base_formats.CSV):
    pass
