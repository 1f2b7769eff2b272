"""Spreadsheet formats of the admin's import/export, with exports that cannot inject formulas.

django-import-export's own escaping only strips a leading `=`; a cell starting with `+`, `-`
or `@` still runs as a formula in Excel. These formats prefix every such text with an
apostrophe instead (plain numbers such as `-4.03` are left alone)."""

from __future__ import annotations

import re

from import_export.formats import base_formats

_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?%?$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text starting with = + - @ (or a tab/return) gets a leading apostrophe so that Excel
    shows it as text; plain numbers such as `-4.03` stay as they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


class _SafeExport:
    def _escape_formulae(self, dataset) -> None:
        for _ in range(len(dataset)):
            row = dataset.lpop()
            dataset.append([safe_cell(cell) for cell in row])


class XLSX(_SafeExport, base_formats.XLSX):
    pass


class CSV(_SafeExport, base_formats.CSV):
    pass
