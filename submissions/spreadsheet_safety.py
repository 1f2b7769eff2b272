"""Cells exported to spreadsheets must not run as formulas when opened (CSV injection)."""

from __future__ import annotations

import re

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
